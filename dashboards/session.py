"""Who is looking: the logged-in user of this browser session, if any, expired after idleness or a working
day; a page that needs a role stops for anyone without it. A signed cookie carries the login across a reload
(Streamlit starts a new session on each); the server checks it on every visit and forgets it on logout."""

from __future__ import annotations

import time
from collections.abc import Mapping

import streamlit as st

from siharpa_pipeline.access import (
    ROLE_LABELS,
    SESSION_MAX_S,
    LoginGuard,
    Session,
    SessionTokens,
    User,
    UsersFileError,
    load_users,
    session_key,
    users_file,
)
from siharpa_pipeline.settings import Settings

SESSION_KEY = "siharpa_session"
COOKIE_PENDING = "siharpa_cookie"  # the cookie value to write on this run; "" clears it
COOKIE = "siharpa_sesi"


@st.cache_resource
def login_guard() -> LoginGuard:
    """One per server process, shared by every browser session: failures count across tabs."""
    return LoginGuard()


@st.cache_resource
def login_tokens() -> SessionTokens:
    return SessionTokens(session_key(Settings.from_env()))


def users() -> dict[str, User]:
    try:
        return load_users(users_file())
    except UsersFileError as err:
        st.error(str(err))
        return {}


def _cookies() -> Mapping[str, str]:
    try:
        return st.context.cookies
    except (AttributeError, RuntimeError):  # no browser behind this run (AppTest)
        return {}


def current_user() -> User | None:
    session: Session | None = st.session_state.get(SESSION_KEY)
    if session is None:
        token = _cookies().get(COOKIE)
        session = login_tokens().session(token) if isinstance(token, str) and token else None
        if session is None:
            return None
        st.session_state[SESSION_KEY] = session
    now = time.time()
    user = users().get(session.username)
    if session.expired(now) or user is None:
        end()
        st.warning("Sesi Anda berakhir. Silakan masuk lagi.")
        return None
    session.last_seen = now
    login_tokens().touch(session.token_id, now)
    return user


def start(user: User) -> None:
    token, session = login_tokens().issue(user.username)
    st.session_state[SESSION_KEY] = session
    st.session_state[COOKIE_PENDING] = token


def end() -> None:
    session: Session | None = st.session_state.pop(SESSION_KEY, None)
    if session is not None:
        login_tokens().revoke(session.token_id)
    st.session_state[COOKIE_PENDING] = ""


def write_cookie() -> None:
    """Sets or clears the login cookie in the browser. Streamlit has no cookie API: a script of ours (never
    anything a user typed: the token is base64url and hex) runs in the page; not HttpOnly for that reason, which
    the server-side checks make up for (a stolen token dies with logout, idleness or the working day)."""
    value = st.session_state.pop(COOKIE_PENDING, None)
    if value is None:
        return
    age = SESSION_MAX_S if value else 0
    st.html(
        f"""<script>document.cookie = "{COOKIE}={value}; Path=/; Max-Age={age}; SameSite=Strict"
        + (location.protocol === "https:" ? "; Secure" : "");</script>""",
        unsafe_allow_javascript=True,
    )


def require(*roles: str) -> User:
    """The user, when they hold one of the roles; otherwise the page stops with a message."""
    user = current_user()
    if user is None or not user.may(*roles):
        st.error("Halaman ini hanya untuk " + " atau ".join(ROLE_LABELS[r] for r in roles) + ". Silakan masuk.")
        st.stop()
    return user
