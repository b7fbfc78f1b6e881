"""python -m routine run ... | python -m routine merge ... (see README.md, "Scheduled rounds")."""

from __future__ import annotations

import sys


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = ("run", "merge")
    if not argv or argv[0] not in commands:
        print("usage: python -m routine {run,merge} ... (python -m routine run --help)", file=sys.stderr)
        return 2
    if argv[0] == "run":
        from .run import main as run  # pylint: disable=import-outside-toplevel
        return run(argv[1:])
    from .merge import main as merge  # pylint: disable=import-outside-toplevel
    return merge(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
