"""Who may do what: users and roles from a TOML file outside git (SIHARPA_USERS_FILE), passwords only as bcrypt
hashes, failed logins rate-limited, sessions that expire. Public pages need none of this."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import threading
import time
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import bcrypt

from .reference import load_reference
from .settings import Settings

ROLES = ("enumerator", "analyst", "admin")
ROLE_LABELS = {"enumerator": "petugas pencacah", "analyst": "analis", "admin": "admin"}
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further; longer passwords are refused, not silently cut
MIN_PASSWORD_LENGTH = 10
MAX_NAME_LENGTH = 100
MAX_FAILURES = 5
FAILURE_WINDOW_S = 15 * 60
LOCKOUT_S = 15 * 60
SESSION_IDLE_S = 30 * 60
SESSION_MAX_S = 8 * 60 * 60
_USERNAME = re.compile(r"^[a-z0-9_.-]{3,32}$")


class UsersFileError(Exception):
    """The users file cannot be used; the message says why, in Bahasa Indonesia."""


@dataclass(frozen=True)
class User:
    username: str
    name: str
    role: str
    markets: tuple[str, ...]  # an enumerator's assigned markets
    password_hash: str = field(repr=False)

    @property
    def assigned_markets(self) -> set[str] | None:
        """The markets this user may submit prices for; None = any."""
        return set(self.markets) if self.role == "enumerator" else None

    def may(self, *roles: str) -> bool:
        return self.role in roles


def users_file(settings: Settings | None = None) -> Path:
    """SIHARPA_USERS_FILE, else users.toml in the data folder (git-ignored either way)."""
    return Path(os.environ.get("SIHARPA_USERS_FILE") or (settings or Settings.from_env()).data_dir / "users.toml")


def load_users(path: Path) -> dict[str, User]:
    if not path.exists():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8")).get("users", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise UsersFileError(f"Berkas pengguna {path} tidak dapat dibaca: {err}") from err
    if not isinstance(raw, dict) or not all(isinstance(entry, dict) for entry in raw.values()):
        raise UsersFileError(f"Berkas pengguna {path} tidak sah: setiap pengguna harus berupa tabel [users.NAMA].")
    users = {}
    for username, entry in raw.items():
        markets = entry.get("markets", ())
        users[username] = check_user(
            User(
                username,
                str(entry.get("name", username)),
                str(entry.get("role", "")),
                tuple(map(str, markets)) if isinstance(markets, list) else (str(markets),),
                str(entry.get("password_hash", "")),
            )
        )
    return users


def check_user(user: User) -> User:
    name = user.username
    if not valid_username(name):
        raise UsersFileError(f"Nama pengguna '{name}' tidak sah: 3-32 huruf kecil, angka, titik, garis bawah atau -.")
    if any(unicodedata.category(ch) == "Cc" for ch in user.name) or len(user.name) > MAX_NAME_LENGTH:
        raise UsersFileError(
            f"Pengguna {name}: nama lengkap paling banyak {MAX_NAME_LENGTH} karakter, tanpa baris "
            "baru, tab atau karakter kendali lain."
        )
    if user.role not in ROLES:
        raise UsersFileError(f"Pengguna {name}: peran '{user.role}' tidak dikenal ({', '.join(ROLES)}).")
    if unknown := set(user.markets) - set(load_reference().market_ids):
        raise UsersFileError(f"Pengguna {name}: pasar tidak dikenal: {', '.join(sorted(unknown))}.")
    if user.role == "enumerator" and not user.markets:
        raise UsersFileError(f"Pengguna {name}: petugas pencacah harus ditugaskan ke setidaknya satu pasar.")
    if not user.password_hash.startswith("$2"):
        raise UsersFileError(f"Pengguna {name}: password_hash bukan hash bcrypt.")
    return user


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter."
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        return f"Kata sandi maksimal {MAX_PASSWORD_BYTES} byte."
    return None


def hash_password(password: str, rounds: int = 12) -> str:
    if problem := password_problem(password):
        raise ValueError(problem)
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds)).decode()


_DUMMY_HASH = bcrypt.hashpw(b"not a password", bcrypt.gensalt(12))


def _verify(user: User | None, password: str) -> bool:
    data = password.encode()
    if user is None or len(data) > MAX_PASSWORD_BYTES:
        bcrypt.checkpw(b"x", _DUMMY_HASH)  # the same time whether or not the user exists
        return False
    return bcrypt.checkpw(data, user.password_hash.encode())


def save_user(path: Path, user: User) -> None:
    """Add or replace one user, keeping the others; written atomically, readable by the service only."""
    users = load_users(path)
    users[user.username] = check_user(user)
    lines = []
    for u in users.values():
        lines += [
            f'[users."{u.username}"]',
            f"name = {_toml(u.name)}",
            f"role = {_toml(u.role)}",
            f"markets = [{', '.join(map(_toml, u.markets))}]",
            f"password_hash = {_toml(u.password_hash)}",
            "",
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    tmp.replace(path)


def _toml(text: str) -> str:
    """A TOML basic string: backslash, quote and every control character escaped."""
    return (
        '"'
        + "".join(f"\\u{ord(ch):04x}" if ch in '"\\' or unicodedata.category(ch) == "Cc" else ch for ch in text)
        + '"'
    )


def valid_username(username: str) -> bool:
    return bool(_USERNAME.match(username))


class LoginGuard:
    """Failed logins per username and source (the client's address): after MAX_FAILURES within
    FAILURE_WINDOW_S, LOCKOUT_S without trying from there. Per source, so that anyone guessing at a name locks
    out only themselves, never its owner at another desk. One per server process (Streamlit keeps it as a
    shared resource), safe across sessions' threads."""

    def __init__(self) -> None:
        self._failures: dict[tuple[str, str], list[float]] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, username: str, source: str = "", now: float | None = None) -> float:
        now = time.time() if now is None else now
        key = (username, source)
        with self._lock:
            recent = [t for t in self._failures.get(key, []) if now - t < FAILURE_WINDOW_S + LOCKOUT_S]
            self._failures[key] = recent
            if len(recent) < MAX_FAILURES:
                return 0.0
            return max(0.0, recent[-1] + LOCKOUT_S - now)

    def failed(self, username: str, source: str = "", now: float | None = None) -> None:
        with self._lock:
            self._failures.setdefault((username, source), []).append(time.time() if now is None else now)

    def succeeded(self, username: str, source: str = "") -> None:
        with self._lock:
            self._failures.pop((username, source), None)


def log_in(
    users: dict[str, User], guard: LoginGuard, username: str, password: str, now: float | None = None, source: str = ""
) -> tuple[User | None, str | None]:
    """(the user, None) or (None, what to tell the person at the login form)."""
    username = username.strip().lower()
    wait = guard.wait_seconds(username, source, now)
    if wait:
        return None, f"Terlalu banyak percobaan gagal. Coba lagi dalam {int(wait // 60) + 1} menit."
    user = users.get(username)
    if not _verify(user, password):
        guard.failed(username, source, now)
        return None, "Nama pengguna atau kata sandi salah."
    guard.succeeded(username, source)
    return user, None


@dataclass
class Session:
    username: str
    started_at: float
    last_seen: float
    token_id: str = ""  # of its login cookie (SessionTokens)

    def expired(self, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        return now - self.last_seen > SESSION_IDLE_S or now - self.started_at > SESSION_MAX_S


SESSION_KEY_ENV = "SIHARPA_SESSION_KEY"


def session_key(settings: Settings) -> bytes:
    """The key that signs login cookies: SIHARPA_SESSION_KEY, else one made once in the data folder (0600).
    Never the PII key: a leaked cookie key must not reveal callers."""
    if os.environ.get(SESSION_KEY_ENV):
        return os.environ[SESSION_KEY_ENV].encode()
    path = settings.data_dir / ".session_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


class SessionTokens:
    """Login tokens for a browser cookie, so that a reload does not log out: "name:started:id" signed with
    HMAC-SHA256. A token is good while its signature holds, the user still exists, the working day
    (SESSION_MAX_S) has not passed, and this server saw it within the idle time (SESSION_IDLE_S); a logout
    revokes it, and a server restart forgets every token (everyone logs in again). One per server process."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._seen: dict[str, float] = {}  # token id -> last use
        self._lock = threading.Lock()

    def _sign(self, payload: str) -> str:
        return hmac.new(self._key, payload.encode(), hashlib.sha256).hexdigest()

    def issue(self, username: str, now: float | None = None) -> tuple[str, Session]:
        now = time.time() if now is None else now
        token_id = secrets.token_urlsafe(16)
        payload = f"{username}:{int(now)}:{token_id}"
        with self._lock:
            self._seen[token_id] = now
        encoded = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
        return f"{encoded}.{self._sign(payload)}", Session(username, now, now, token_id)

    def session(self, token: str, now: float | None = None) -> Session | None:
        """The session a cookie stands for, or None when it is forged, expired, idle or revoked."""
        now = time.time() if now is None else now
        encoded, _, signature = token.partition(".")
        try:
            payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
            username, started, token_id = payload.split(":")
            started_at = float(started)
        except (ValueError, UnicodeDecodeError):
            return None
        if not hmac.compare_digest(self._sign(payload), signature):
            return None
        session = Session(username, started_at, self._seen.get(token_id, -SESSION_IDLE_S * 2), token_id)
        if session.expired(now):
            self.revoke(token_id)
            return None
        self.touch(token_id, now)
        session.last_seen = now
        return session

    def touch(self, token_id: str, now: float) -> None:
        with self._lock:
            if token_id in self._seen:
                self._seen[token_id] = now

    def revoke(self, token_id: str) -> None:
        with self._lock:
            self._seen.pop(token_id, None)
