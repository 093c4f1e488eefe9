"""No secret travels in clear, TLS failures say what to fix, a bad CA bundle stops at start.

A capture socket on 127.0.0.2 records every byte sent to it. A name the test makes resolve
to it (a sitecustomize that answers getaddrinfo for `registry.example`, in the spawned
`frmr` as in this process) is where the old client sent the password: the test proves no
connection reaches it, by connecting a sentinel after the command has exited and finding the
sentinel first in line.
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from frmr.sync.auth import LoginFailed, login
from frmr.sync.client import RegistryClient, Timeouts
from frmr.sync.errors import CaBundleUnreadable, CertificateRejected, InsecureRegistryUrl

FRMR = shutil.which("frmr") or str(Path(sys.executable).with_name("frmr"))
FRMR_DAEMON = shutil.which("frmr-daemon") or str(Path(sys.executable).with_name("frmr-daemon"))
CAPTURE_HOST = "127.0.0.2"
FAKE_NAME = "registry.example"
PASSWORD = "s3cret-Пароль-7"
SENTINEL = b"SENTINEL\r\n"
REFUSAL_BODY = b'{"code":"invalid_credentials","message":"x","details":{}}'
REFUSAL = (
    b"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nConnection: close\r\n"
    b"Content-Length: %d\r\n\r\n%s" % (len(REFUSAL_BODY), REFUSAL_BODY)
)

RESOLVER = f"""
import socket
_real = socket.getaddrinfo
def _getaddrinfo(host, *args, **kwargs):
    if host == {FAKE_NAME!r}:
        host = {CAPTURE_HOST!r}
    return _real(host, *args, **kwargs)
socket.getaddrinfo = _getaddrinfo
"""


def _read_request(conn: socket.socket) -> bytes:
    """Bytes up to the end of one HTTP request (headers and Content-Length body), or EOF."""
    data = b""
    while b"\r\n\r\n" not in data and data != SENTINEL:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
        data += chunk
    return data


class Capture:
    """A plain TCP listener: every connection's bytes, in the order they connected."""

    def __init__(self, wrap: ssl.SSLContext | None = None, host: str = CAPTURE_HOST) -> None:
        self.sock = socket.create_server((host, 0))
        self.host = host
        self.port = self.sock.getsockname()[1]
        self.wrap = wrap
        self.received: list[bytes] = []
        self.connections = 0
        self._since = 0
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self._changed:
                self.connections += 1
            data = b""
            try:
                conn.settimeout(5)
                # The sentinel speaks plain TCP even to the TLS listener ("S" is no TLS record).
                tls = self.wrap is not None and conn.recv(1, socket.MSG_PEEK) != SENTINEL[:1]
                if tls and self.wrap is not None:
                    conn = self.wrap.wrap_socket(conn, server_side=True)
                data = _read_request(conn)
                if data and data != SENTINEL:
                    conn.sendall(REFUSAL)
            except (OSError, ssl.SSLError):
                pass
            finally:
                conn.close()
            with self._changed:
                self.received.append(data)
                self._changed.notify_all()

    def wait_for(self, count: int) -> None:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.received) >= count, timeout=30)

    def sent_before_sentinel(self) -> list[bytes]:
        """What arrived since the last sentinel and before a sentinel connected now (after the
        client finished): connections are served in order, so nothing of the client's can
        arrive after it."""
        start = self._since
        with socket.create_connection((self.host, self.port)) as probe:
            probe.sendall(SENTINEL)
        with self._changed:
            assert self._changed.wait_for(lambda: SENTINEL in self.received[start:], timeout=30)
            end = self.received.index(SENTINEL, start)
            self._since = end + 1
            return self.received[start:end]

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def capture() -> Iterator[Capture]:
    listener = Capture()
    yield listener
    listener.close()


@pytest.fixture
def resolver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`registry.example` resolves to the capture host, here and in spawned commands."""
    folder = tmp_path / "resolver"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(RESOLVER)
    real = socket.getaddrinfo

    def fake(host: object, *args: object, **kwargs: object) -> object:
        return real(CAPTURE_HOST if host == FAKE_NAME else host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return folder


def frmr_env(tmp_path: Path, resolver: Path | None = None, **extra: str) -> dict[str, str]:
    env = {**os.environ, "FRMR_HOME": str(tmp_path / "home"), "FRMR_CONFIG": str(tmp_path / "c")}
    for name in ("FRMR_REGISTRY_URL", "FRMR_CA_BUNDLE"):
        env.pop(name, None)
    if resolver is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(resolver), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def run_login(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FRMR, "login", "--login-file", "-", "--password-stdin"],
        env=env,
        input=f"112-233-445 95\n{PASSWORD}\n",
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_login_over_http_to_a_name_sends_no_byte(
    tmp_path: Path, capture: Capture, resolver: Path
) -> None:
    url = f"http://{FAKE_NAME}:{capture.port}"
    result = run_login(frmr_env(tmp_path, resolver, FRMR_REGISTRY_URL=url))
    assert result.returncode == 2, result.stderr
    assert "открытым текстом" in result.stderr and "https://" in result.stderr
    assert "Traceback" not in result.stderr
    assert capture.sent_before_sentinel() == []


def test_login_over_http_to_a_loopback_literal_is_allowed(tmp_path: Path, capture: Capture) -> None:
    """The positive control: the same capture does see a login it is allowed to see."""
    url = f"http://{CAPTURE_HOST}:{capture.port}"
    result = run_login(frmr_env(tmp_path, FRMR_REGISTRY_URL=url))
    assert result.returncode == 2
    assert "Неверный логин или пароль" in result.stderr
    sent = capture.sent_before_sentinel()
    assert len(sent) == 1 and PASSWORD.encode() in sent[0]


def test_daemon_client_sends_no_token_over_http_to_a_name(capture: Capture, resolver: Path) -> None:
    with pytest.raises(InsecureRegistryUrl) as caught:
        RegistryClient(f"http://{FAKE_NAME}:{capture.port}", token="bearer-secret")
    assert FAKE_NAME in caught.value.user_message
    assert "FRMR_REGISTRY_URL" in (caught.value.fix or "")
    assert capture.sent_before_sentinel() == []


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1:8000",
        "http://frmr-test.invalid:8000",
        "http://localhost.example.com",
        "http://127.0.0.1.nip.io",
        "http://[fe80::1]:8000",
        "ftp://127.0.0.1/",
        "127.0.0.1:8000",
    ],
)
def test_non_loopback_plain_http_is_refused_before_connecting(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("a name was resolved or a connection attempted")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    with pytest.raises(LoginFailed) as caught:
        login(url, "112-233-445 95", PASSWORD)
    assert caught.value.code == "insecure_registry_url"


@pytest.mark.parametrize(
    "url", ["http://localhost:8000", "http://LOCALHOST", "http://127.0.0.2:1", "http://[::1]:9"]
)
def test_loopback_plain_http_is_allowed(url: str) -> None:
    RegistryClient(url).close()


# --- TLS ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_capture(self_signed: tuple[Path, Path]) -> Iterator[Capture]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*self_signed)
    listener = Capture(wrap=context, host="127.0.0.1")
    yield listener
    listener.close()


def test_certificate_failure_names_the_host_and_the_bundle_and_is_not_retried(
    tls_capture: Capture,
) -> None:
    client = RegistryClient(
        f"https://127.0.0.1:{tls_capture.port}", token="t", timeouts=Timeouts(deadline=5)
    )
    with client, pytest.raises(CertificateRejected) as caught:
        client.send("GET", "/api/v1/me")
    text = caught.value.user_text()
    assert "127.0.0.1" in text and "FRMR_CA_BUNDLE" in text and "недоступен" not in text
    tls_capture.sent_before_sentinel()
    assert tls_capture.connections == 2  # one attempt, then the sentinel


def test_login_with_an_untrusted_certificate_says_so(
    tmp_path: Path, tls_capture: Capture, self_signed: tuple[Path, Path]
) -> None:
    url = f"https://127.0.0.1:{tls_capture.port}"
    refused = run_login(frmr_env(tmp_path, FRMR_REGISTRY_URL=url))
    assert refused.returncode == 2
    assert "Сертификат сервера 127.0.0.1" in refused.stderr and "FRMR_CA_BUNDLE" in refused.stderr
    assert tls_capture.sent_before_sentinel() == [b""]  # a handshake, no request
    # With the bundle configured the same server is trusted and gets the login.
    trusted = run_login(
        frmr_env(tmp_path, FRMR_REGISTRY_URL=url, FRMR_CA_BUNDLE=str(self_signed[0]))
    )
    assert "Неверный логин или пароль" in trusted.stderr
    assert PASSWORD.encode() in tls_capture.sent_before_sentinel()[-1]


def test_missing_ca_bundle_is_a_russian_error_at_start(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.pem"
    env = frmr_env(tmp_path, FRMR_REGISTRY_URL="https://127.0.0.1:9", FRMR_CA_BUNDLE=str(missing))
    result = run_login(env)
    assert result.returncode == 2
    assert "FRMR_CA_BUNDLE" in result.stderr and "файл не найден" in result.stderr
    assert "Traceback" not in result.stderr
    daemon = subprocess.run(
        [FRMR_DAEMON, "run", "--quiet"], env=env, capture_output=True, text=True, timeout=60
    )
    assert daemon.returncode == 2
    assert "файл не найден" in daemon.stderr and "Traceback" not in daemon.stderr


def test_unreadable_or_empty_ca_bundle_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pem"
    empty.write_text("not a certificate\n")
    with pytest.raises(CaBundleUnreadable):
        RegistryClient("https://127.0.0.1:9", ca_bundle=empty)
    if os.geteuid() != 0:
        locked = tmp_path / "locked.pem"
        locked.write_text("x")
        locked.chmod(0)
        with pytest.raises(CaBundleUnreadable) as caught:
            RegistryClient("https://127.0.0.1:9", ca_bundle=locked)
        assert "нет прав" in caught.value.user_message


def test_daemon_refuses_a_plain_http_registry_at_start(tmp_path: Path) -> None:
    env = frmr_env(tmp_path, FRMR_REGISTRY_URL="http://10.0.0.1:8000")
    daemon = subprocess.run(
        [FRMR_DAEMON, "run", "--quiet"], env=env, capture_output=True, text=True, timeout=60
    )
    assert daemon.returncode == 2 and "открытым текстом" in daemon.stderr
