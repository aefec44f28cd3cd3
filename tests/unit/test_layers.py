import subprocess
import sys

DOMAIN = [
    "cli",
    "services",
    "documents",
    "feedback",
    "statistics",
    "demo",
    "calendar",
    "privacy",
    "compensation",
    "config",
    "db",
    "models",
    "context",
]


def test_the_domain_and_the_command_line_never_import_textual():
    code = "; ".join(f"import kela_tui.{name}" for name in DOMAIN)
    code += "; import sys; print(sorted(m for m in sys.modules if m.startswith('textual')))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
