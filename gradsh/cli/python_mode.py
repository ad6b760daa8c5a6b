"""`gradsh --python prog.py [ARGS]`: run an ordinary Python program with gradsh as `torch`.

This is plain Python, not the sandboxed language: the program can do anything Python can. Its
errors print Python's traceback, as `python prog.py` would, and exit 1.
"""

import os
import runpy
import sys
import traceback

from .run import EXIT_OK, EXIT_USAGE


def run_python(opts, env):
    if opts.code is not None or opts.file in (None, "-"):
        env.stderr.write("gradsh: error: --python needs a program file: "
                         "gradsh --python prog.py [ARGS]\n")
        return EXIT_USAGE
    path = opts.file
    if not os.path.isfile(path):
        env.stderr.write("gradsh: error: can't open file %r: No such file\n" % path)
        return EXIT_USAGE
    import gradsh
    try:
        gradsh.install_as_torch()
    except RuntimeError as e:
        env.stderr.write("gradsh: error: %s\n" % e)
        return EXIT_USAGE
    saved_argv, saved_path = sys.argv, list(sys.path)
    sys.argv = [path] + list(opts.args)
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))  # as `python prog.py` does
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as e:
        code = e.code
        if code is None:
            return EXIT_OK
        if isinstance(code, int):
            return code
        env.stderr.write("%s\n" % code)
        return 1
    except KeyboardInterrupt:
        raise
    except BaseException:
        etype, value, tb = sys.exc_info()
        # leave out runpy's and this module's frames: the traceback starts in the program
        frames = traceback.extract_tb(tb)
        keep = [i for i, f in enumerate(frames) if f.filename == os.path.abspath(path)
                or f.filename == path]
        tb_list = frames[keep[0]:] if keep else frames
        env.stderr.write("Traceback (most recent call last):\n")
        env.stderr.write("".join(traceback.format_list(tb_list)))
        env.stderr.write("".join(traceback.format_exception_only(etype, value)))
        return 1
    finally:
        sys.argv = saved_argv
        sys.path[:] = saved_path
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
    return EXIT_OK
