"""`python -m askbot`: the same as the `askbot` command."""

from askbot.cli import main

raise SystemExit(main())
