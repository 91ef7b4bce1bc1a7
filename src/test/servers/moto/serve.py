"""Starts moto's server for the tests on 127.0.0.1, on a port the OS picks (no race for a "free" port), and prints that
port on the line the Java side waits for. One server answers DynamoDB, S3, STS and KMS (each request's signature names
its service). It stops when its standard input closes, so a test JVM that dies, however it dies, never leaves a
server behind.

python3 serve.py [--iam-after N]

With --iam-after N, moto checks every call after the first N against the caller's IAM policies (its
INITIAL_NO_AUTH_ACTION_COUNT): the first N set up users, policies and keys.
"""
import logging
import os
import sys
import threading

if len(sys.argv) == 3 and sys.argv[1] == "--iam-after":
    os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = sys.argv[2]  # read when moto is imported

MAJOR = 5

try:
    import moto
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server
except ImportError as e:
    sys.exit(f"moto's server cannot be imported by {sys.executable} ({e}): the tests that use moto need moto {MAJOR} "
             f"with its server extras (moto[server]) in the Python they run, named by MOTO_PYTHON (default python3)")

if int(moto.__version__.split(".")[0]) != MAJOR:
    sys.exit(f"moto {moto.__version__} found in {sys.executable}; the tests and the README's table of what it answers "
             f"are for moto {MAJOR}")

logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request: the log keeps what goes wrong
# bound here, in the main thread, so that a failure to listen ends this process with its reason at once
server = make_server("127.0.0.1", 0, DomainDispatcherApplication(create_backend_app), threaded=True)
print(f"moto {moto.__version__} listening on port {server.server_port}", flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
server.shutdown()
