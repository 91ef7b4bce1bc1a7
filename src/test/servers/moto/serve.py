"""Starts moto's server for the tests on 127.0.0.1, on a port the OS picks (no race for a "free" port), and prints that
port on the line the Java side waits for. One server answers DynamoDB, S3, STS and KMS (each request's signature names
its service). It stops when its standard input closes, so a test JVM that dies, however it dies, never leaves a
server behind.

python3 serve.py [--iam-after N]

With --iam-after N, moto checks every call after the first N against the caller's IAM policies (its
INITIAL_NO_AUTH_ACTION_COUNT): the first N set up users, policies and keys. Its signature check then has a bug this
launcher mends (getmoto/moto#5948): it rebuilds the canonical request from the URL with the query already decoded, so
a query value holding a character SigV4 encodes ("/" in ListObjectsV2's prefix) never matches what the client signed.
The query is re-encoded as SigV4 encodes it before moto checks the signature; what moto authorises is unchanged.
And moto authorises a DeleteObjects (POST ?delete) as s3:DeleteObject on the bucket's ARN, where AWS checks
s3:DeleteObject on each key and answers a key refused with an AccessDenied entry in the result: this launcher makes moto
check each key against the caller's policies the same way, so that a policy granting s3:DeleteObject on a key prefix
works as on AWS and a key outside it is refused as on AWS.
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

if "INITIAL_NO_AUTH_ACTION_COUNT" in os.environ:
    from urllib.parse import quote, unquote
    from moto.iam.access_control import IAMRequestBase

    def _sigv4(text):
        return quote(unquote(text), safe="-_.~")

    def _signed_as_sent(init):
        def wrapper(self, account_id, method, path, data, body, headers, action):
            route, question, query = path.partition("?")
            if question:
                pairs = (pair.partition("=") for pair in query.split("&"))
                path = route + "?" + "&".join(_sigv4(k) + eq + _sigv4(v) for k, eq, v in pairs)
            init(self, account_id, method, path, data, body, headers, action)
        return wrapper

    IAMRequestBase.__init__ = _signed_as_sent(IAMRequestBase.__init__)

    from moto.iam.access_control import PermissionResult
    from moto.s3.exceptions import BucketAccessDeniedError, S3AccessDeniedError
    from moto.s3.models import FakeBucket
    from moto.s3.responses import S3Response

    _deleting = threading.local()  # the DeleteObjects this thread is answering, if any (reset when it is answered)
    _authorize = S3Response._authenticate_and_authorize_s3_action
    _bucket_permission = FakeBucket.get_permission
    _delete_keys = S3Response._bucket_response_delete_keys

    def _authorize_keys_one_by_one(self, bucket_name=None, key_name=None):
        if key_name is None and self.data.get("Action") == "DeleteObject" and self.is_delete_keys():
            _deleting.key_allowed = lambda key: _allowed(self, bucket_name, key)
            return
        _authorize(self, bucket_name, key_name)

    def _allowed(response, bucket_name, key):
        try:
            _authorize(response, bucket_name, key)
            return True
        except (BucketAccessDeniedError, S3AccessDeniedError):
            return False

    def _permission_with_the_callers(self, action, resource):
        allowed = getattr(_deleting, "key_allowed", None)
        if allowed is not None and action == "s3:DeleteObject" and not allowed(resource.split("/", 1)[1]):
            return PermissionResult.DENIED
        return _bucket_permission(self, action, resource)

    def _delete_keys_then_forget(self, bucket_name, authenticated=True):
        try:
            return _delete_keys(self, bucket_name, authenticated)
        finally:
            _deleting.key_allowed = None

    S3Response._authenticate_and_authorize_s3_action = _authorize_keys_one_by_one
    FakeBucket.get_permission = _permission_with_the_callers
    S3Response._bucket_response_delete_keys = _delete_keys_then_forget

logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request: the log keeps what goes wrong
# bound here, in the main thread, so that a failure to listen ends this process with its reason at once
server = make_server("127.0.0.1", 0, DomainDispatcherApplication(create_backend_app), threaded=True)
print(f"moto {moto.__version__} listening on port {server.server_port}", flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
server.shutdown()
