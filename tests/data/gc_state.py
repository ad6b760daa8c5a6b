"""For tests/cli/test_cli_process.py: is the garbage collector on in a --python program?"""
import gc

print("collector on:", gc.isenabled())
