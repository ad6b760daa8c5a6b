"""The bottom toolbar: grad mode (enabled / no_grad) and the keys worth knowing."""

KEYS = " Tab complete · Ctrl-R search · Ctrl-D quit · :help "


def make_toolbar(state):
    def toolbar():
        if state.grad_enabled():
            mode = [("class:toolbar.grad-on", " grad: enabled ")]
        else:
            mode = [("class:toolbar.grad-off", " grad: no_grad ")]
        return mode + [("class:toolbar", " │"), ("class:toolbar.keys", KEYS)]
    return toolbar
