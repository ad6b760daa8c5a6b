"""The prompt_toolkit style: input highlighting from the shared palette, toolbar, prompt."""

from prompt_toolkit.styles import Style, merge_styles

from . import palette as P


def make_style(colour=True):
    if not colour:
        # no colour at all: the toolbar and menus keep reverse video to stand out. The prompt
        # names the default colour (never sent at colour depth 1) so that prompt_toolkit still
        # draws its trailing space instead of moving the cursor over it
        return Style.from_dict({"prompt": "ansidefault", "continuation": "ansidefault", "bottom-toolbar": "reverse", "auto-suggestion": "",
                                "completion-menu": "noinherit reverse",
                                "completion-menu.completion.current": "noinherit"})
    rules = {"pygments." + name.lower(): P.ptk_style(entry) for name, entry in P.TOKENS.items()}
    rules.update({
        "prompt": "ansigreen bold",
        "continuation": "ansibrightblack",
        "bottom-toolbar": "noreverse bg:ansiblack ansiwhite",
        "toolbar.grad-on": "bg:ansigreen ansiblack",
        "toolbar.grad-off": "bg:ansiyellow ansiblack bold",
        "toolbar.keys": "ansibrightblack",
        "auto-suggestion": "ansibrightblack",
    })
    return merge_styles([Style.from_dict(rules)])
