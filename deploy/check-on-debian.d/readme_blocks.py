"""The README's production commands as deploy/check-on-debian runs them (`readme_blocks.py
README.md DIR` writes DIR/install.sh and DIR/run.sh).

The blocks are the fenced code blocks that follow `<!-- check-on-debian: NAME -->` in the README,
taken line by line as they are written. The only changes, each of which must find its text
exactly once: the clone's address (the branch's local clone) and the name of the archive in
"restore" (the one "backup" just wrote). tests/test_deploy.py reads the same blocks."""

from __future__ import annotations

import re
import sys
from pathlib import Path

MARKER = re.compile(r"<!-- check-on-debian: (\w+) -->\n```sh\n(.*?)\n```", re.DOTALL)
CLONE_URL = "https://github.com/<your-fork>/onestop.git"
ARCHIVE = "/var/backups/onestop/2026-12-01.backup"
# The first line of "install" that needs a running service; the lines before it reach the
# network (Debian's packages, PyPI), the lines from it on run in a network namespace.
NETWORK_UNTIL = "make -C /srv/onestop install"


def readme_blocks(readme: str) -> dict[str, list[str]]:
    return {name: body.splitlines() for name, body in MARKER.findall(readme)}


def _replace_once(lines: list[str], old: str, new: str) -> list[str]:
    text = "\n".join(lines)
    assert text.count(old) == 1, f"the README's block should name {old!r} once"
    return text.replace(old, new).splitlines()


# What a new machine is before "restore": the archive copied over, an empty database and storage,
# nothing collected, the services stopped.
MAKE_NEW = """\
systemctl stop onestop-web onestop-worker
runuser -u postgres -- dropdb onestop
runuser -u postgres -- createdb --owner onestop onestop
find /var/lib/onestop -mindepth 1 -delete
"""

BOOT = """\
# What the packages enabled starts with the machine (policy-rc.d kept it from starting at install).
for cluster in /etc/postgresql/*/*; do
  version=$(basename "$(dirname "$cluster")")
  pg_ctlcluster --skip-systemctl-redirect "$version" "$(basename "$cluster")" start
done
systemctl start caddy
"""


def scripts(readme: str) -> dict[str, str]:
    blocks = readme_blocks(readme)
    missing = {"install", "backup", "restore"} - set(blocks)
    assert not missing, f"README.md has no check-on-debian block {sorted(missing)}"
    install = _replace_once(blocks["install"], CLONE_URL, "/var/tmp/onestop.git")
    split = next(i for i, line in enumerate(install) if NETWORK_UNTIL in line) + 1
    restore = blocks["restore"]
    archive = "$(ls /var/backups/onestop/*.backup | tail -1)"
    restore = _replace_once(restore, ARCHIVE, archive)
    head = "set -x\ncd /\n"
    run = [
        head + BOOT,
        "\n".join(install[split:]),
        "python3 /var/tmp/check/verify.py installed",
        "\n".join(blocks["backup"]),
        "cd /\n" + MAKE_NEW,
        "\n".join(restore),
        "python3 /var/tmp/check/verify.py restored",
    ]
    return {"install.sh": head + "\n".join(install[:split]) + "\n", "run.sh": "\n".join(run) + "\n"}


def main() -> None:
    readme, target = Path(sys.argv[1]), Path(sys.argv[2])
    for name, text in scripts(readme.read_text()).items():
        (target / name).write_text(text)


if __name__ == "__main__":
    main()
