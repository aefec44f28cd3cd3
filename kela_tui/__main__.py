from kela_tui.cli import main

raise SystemExit(main())
