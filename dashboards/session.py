"""Who is looking: the logged-in user of this browser session, if any, expired after idleness or a working
day; a page that needs a role stops for anyone without it."""

from __future__ import annotations

import time

import streamlit as st

from siharpa_pipeline.access import ROLE_LABELS, LoginGuard, Session, User, UsersFileError, load_users, users_file

SESSION_KEY = "siharpa_session"


@st.cache_resource
def login_guard() -> LoginGuard:
    """One per server process, shared by every browser session: failures count across tabs."""
    return LoginGuard()


def users() -> dict[str, User]:
    try:
        return load_users(users_file())
    except UsersFileError as err:
        st.error(str(err))
        return {}


def current_user() -> User | None:
    session: Session | None = st.session_state.get(SESSION_KEY)
    if session is None:
        return None
    now = time.time()
    user = users().get(session.username)
    if session.expired(now) or user is None:
        del st.session_state[SESSION_KEY]
        st.warning("Sesi Anda berakhir. Silakan masuk lagi.")
        return None
    session.last_seen = now
    return user


def start(user: User) -> None:
    now = time.time()
    st.session_state[SESSION_KEY] = Session(user.username, now, now)


def end() -> None:
    st.session_state.pop(SESSION_KEY, None)


def require(*roles: str) -> User:
    """The user, when they hold one of the roles; otherwise the page stops with a message."""
    user = current_user()
    if user is None or not user.may(*roles):
        st.error("Halaman ini hanya untuk " + " atau ".join(ROLE_LABELS[r] for r in roles) + ". Silakan masuk.")
        st.stop()
    return user
