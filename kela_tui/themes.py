"""The program's own themes, beside Textual's: a high-contrast one for eyes
that need it (white on black, yellow and cyan accents, every text at least
7:1 against the background, a yellow focus outline)."""

from __future__ import annotations

HIGH_CONTRAST = "kela-high-contrast"
# The names the workstation's file may give besides Textual's own (config.py
# checks the name without importing Textual).
OWN = (HIGH_CONTRAST,)

BLACK = "#000000"
WHITE = "#ffffff"
YELLOW = "#ffff00"  # 19.6:1 on black
CYAN = "#00ffff"  # 16.7:1
GREEN = "#00ff00"  # 15.3:1
RED = "#ff8080"  # 7.6:1: pure red (5.3:1) is too dark on black
GREY = "#c0c0c0"  # 12.6:1, for what Textual mutes
SELECTION = "#00008b"  # white on it 15:1


def own_themes() -> list:
    """The themes the app registers."""
    from textual.theme import Theme

    return [
        Theme(
            name=HIGH_CONTRAST,
            primary=YELLOW,
            secondary=CYAN,
            accent=CYAN,
            warning=YELLOW,
            error=RED,
            success=GREEN,
            foreground=WHITE,
            background=BLACK,
            surface=BLACK,
            panel="#101010",
            boost="#202020",
            dark=True,
            text_alpha=1.0,
            variables={
                # Muted text is still light grey, not a dim blend.
                "text-muted": GREY,
                "text-disabled": GREY,
                "foreground-muted": GREY,
                # Each state in its own full colour, not a blend with black.
                "text-error": RED,
                "text-warning": YELLOW,
                "text-success": GREEN,
                "text-primary": YELLOW,
                "text-accent": CYAN,
                "error-muted": "#2a0000",
                "warning-muted": "#1a1a00",
                "success-muted": "#001a00",
                "primary-muted": "#1a1a00",
                "accent-muted": "#001a1a",
                # The highlighted row or option: black on yellow, bold,
                # and still marked (underlined) when the list has no focus.
                "block-cursor-background": YELLOW,
                "block-cursor-foreground": BLACK,
                "block-cursor-text-style": "bold",
                "block-cursor-blurred-background": "#404040",
                "block-cursor-blurred-foreground": WHITE,
                "block-cursor-blurred-text-style": "bold underline",
                "block-hover-background": "#303030",
                "border": YELLOW,
                "border-blurred": GREY,
                "input-cursor-background": YELLOW,
                "input-cursor-foreground": BLACK,
                # A prefilled, selected value: white on dark blue (white on cyan
                # was 1.25:1, the value all but invisible).
                "input-selection-background": SELECTION,
                "footer-foreground": WHITE,
                "footer-background": BLACK,
                "footer-key-foreground": YELLOW,
                "footer-key-background": BLACK,
                "footer-description-foreground": WHITE,
                "footer-description-background": BLACK,
                "footer-item-background": BLACK,
                "button-foreground": BLACK,
                "button-focus-text-style": "bold reverse",
                "scrollbar": GREY,
                "scrollbar-background": "#202020",
                "scrollbar-hover": WHITE,
                "scrollbar-active": YELLOW,
                "link-color": CYAN,
                "screen-selection-background": CYAN,
                "screen-selection-foreground": BLACK,
            },
        )
    ]


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two colours given as #rrggbb."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)
