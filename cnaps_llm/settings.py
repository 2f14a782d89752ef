"""The one reader of the environment and ``.env``.

Precedence: command-line flag > environment > ``.env`` > default. Settings are
built by ``load_settings`` when a command runs, never at import time. Strict: an
unknown ``CNAPS_*`` variable, a non-finite or absurd number, or a base URL that is
not http(s) is a ``ConfigError`` at once, before any request.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import stat
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from . import redact
from .errors import ConfigError

StructuredMode = Literal["auto", "json_schema", "json_object", "text"]
CacheMode = Literal["auto", "replay", "record", "off"]
OnFail = Literal["report", "repair"]
# read elsewhere, on purpose: the CLI's error handler must work before settings load, and
# the grounding package's compiled-regex cache when its patterns are built at import
_OTHER_VARS = {"CNAPS_DEBUG", "CNAPS_REGEX_CACHE"}


def default_cache_dir() -> Path:
    """Recordings of the user's own runs: the platform's user cache, never the package or a checkout."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("cnaps-llm", appauthor=False)) / "cassettes"


def _default_prompts_dir() -> Path:
    from .resources import prompts_dir

    return prompts_dir()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_prefix="CNAPS_", extra="ignore", populate_by_name=True, validate_default=True
    )

    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("openai_api_key", "OPENAI_API_KEY", "CNAPS_OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("openai_base_url", "OPENAI_BASE_URL", "CNAPS_OPENAI_BASE_URL")
    )
    provider: str = Field(default="openai", pattern=r"^[a-z][a-z0-9_.-]*$", description="Backend, from backends.PROVIDERS or an entry point.")
    model: str = Field(default="gpt-4o-mini", min_length=1, max_length=200)
    timeout: float = Field(default=60.0, gt=0, le=3600, allow_inf_nan=False, description="Seconds per HTTP request, reading included.")
    case_timeout: float = Field(default=300.0, gt=0, le=86400, allow_inf_nan=False, description="Seconds for all attempts and retries of one case.")
    max_attempts: int = Field(default=3, ge=1, le=20, description="Drafts per case (first try + reasks).")
    transport_retries: int = Field(default=4, ge=0, le=20, description="Retries of 429/5xx/timeouts per call.")
    max_retry_wait: float = Field(default=30.0, ge=0, le=3600, allow_inf_nan=False, description="Longest single back-off, seconds.")
    max_input_tokens: int = Field(default=6000, ge=500, le=2_000_000)
    max_output_tokens: int = Field(default=1200, ge=64, le=200_000)
    temperature: float = Field(default=0.0, ge=0, le=2, allow_inf_nan=False)
    structured: StructuredMode = "auto"
    cache: CacheMode = "auto"
    cache_dir: Path = Field(default_factory=default_cache_dir)
    prompts_dir: Path = Field(default_factory=_default_prompts_dir)
    on_fail: OnFail = "report"
    rpm: float | None = Field(default=None, gt=0, le=1e7, allow_inf_nan=False, description="Requests per minute, whole run.")
    tpm: float | None = Field(default=None, gt=0, le=1e10, allow_inf_nan=False, description="Tokens per minute, whole run.")
    max_cost: float | None = Field(default=None, ge=0, le=1e6, allow_inf_nan=False, description="USD; no new attempt once spent.")
    stream: bool = False

    @model_validator(mode="before")
    @classmethod
    def _empty_is_unset(cls, data: Any) -> Any:
        # `OPENAI_API_KEY=` or `CNAPS_RPM=` in a copied .env.example means "not set", not "empty"
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
        return data

    @field_validator("openai_base_url")
    @classmethod
    def _http_only(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value.isprintable():  # urlsplit drops \n and \t; the HTTP client refused them at the first request
            raise ValueError("holds a line break, a tab or a control character; write the URL on one line")
        if any(c.isspace() for c in value):  # "http://…/v1 local": a note pasted after it, sent as /v1%20local
            raise ValueError("holds a space; write the URL alone, such as http://127.0.0.1:8080/v1")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http(s) URL such as http://127.0.0.1:8080/v1")
        try:
            parts.port  # noqa: B018 -- raises on a port that is not a number from 0 to 65535
        except ValueError as exc:
            if "out of range" in str(exc) or "@" not in value:  # no userinfo: nothing secret in it
                raise
            # urllib quotes the "port" it read, which is part of a password holding `/`, `?` or `#`
            raise ValueError("its port is not a number (a password holding / ? or # must be percent-encoded: %2F %3F %23)") from None
        _check_host(parts.hostname)
        return value

    @field_validator("cache_dir", "prompts_dir")
    @classmethod
    def _home(cls, value: Path) -> Path:
        # `~/…` in a .env, or after `--cache-dir=`, reaches us unexpanded: it would make a
        # folder named `~` here, which `rm -rf ~` would then clean up with the home folder
        if not str(value).startswith("~"):
            return value
        try:
            return value.expanduser()
        except RuntimeError:  # "~nosuchuser/x", or no home folder known (a container without HOME)
            raise ValueError(f"{value}: no such user's home folder; write the folder out in full") from None

    @field_validator("openai_api_key")
    @classmethod
    def _header_safe(cls, value: SecretStr | None) -> SecretStr | None:
        # the key goes into an HTTP header: a line break or a non-ASCII letter pasted with it
        # would fail every request with a misleading error. The message never shows the key.
        if value is None:
            return None
        key = value.get_secret_value().strip()
        if not all("!" <= c <= "~" for c in key):
            raise ValueError("holds a space, a line break or a non-ASCII character, which an HTTP header cannot carry; copy the key again")
        return SecretStr(key)

    @property
    def has_backend(self) -> bool:
        return self.openai_api_key is not None or bool(self.openai_base_url)

    @property
    def server(self) -> str:
        """Where requests go, safe to print (no userinfo)."""
        if not self.openai_base_url:
            return "api.openai.com"
        return redact.redact(self.openai_base_url)


_IPV4_SHAPE = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")


def _check_host(host: str) -> None:
    """Refuse a host the HTTP client would refuse when the backend is built (an internal error
    then, after a batch run's files were written): four numbers that are not an IPv4 address
    (``999.1.1.1``), or a non-ASCII name that IDNA cannot encode (``😀.com``)."""
    if _IPV4_SHAPE.fullmatch(host):
        import ipaddress

        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            raise ValueError(f"its host {host} is not an IPv4 address (each of the four numbers is 0 to 255)") from None
    elif not host.isascii():
        try:
            import idna  # what the HTTP client encodes such a host with
        except ImportError:
            return
        try:
            idna.encode(host)
        except idna.IDNAError:
            raise ValueError(f"its host {host!r} is not a valid international domain name (IDNA)") from None


def _field_env_names() -> set[str]:
    return set(_OTHER_VARS) | set(_env_fields())


def _unknown_vars(env: dict[str, str]) -> None:
    known = _field_env_names()
    for key in sorted(env):
        if key.upper().startswith("CNAPS_") and key.upper() not in known:
            close = difflib.get_close_matches(key.upper(), sorted(known), n=1)
            hint = f"; did you mean {close[0]}?" if close else "; see .env.example for the settings"
            raise ConfigError(f"unknown setting {key}{hint}")


def _is_fifo(path: str) -> bool:
    try:
        return stat.S_ISFIFO(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


MAX_DOTENV_BYTES = 1024 * 1024


def _dotenv(path: str = ".env") -> dict[str, str]:
    """The values a ``.env`` sets. A named pipe (a secrets manager's, or a FIFO left behind) is
    read once, here, and as empty when nothing writes to it: read by the settings library,
    it blocked the command for ever."""
    fifo = _is_fifo(path)
    if not fifo and not os.path.isfile(path):
        return {}
    if not fifo and os.path.getsize(path) > MAX_DOTENV_BYTES:  # a disk image or a log renamed: read whole, 650 MB for 300 MB
        raise ConfigError(f"{path}: is larger than {MAX_DOTENV_BYTES // 1024} KB, more than any settings file; check it")
    from dotenv import dotenv_values

    try:
        if fifo:
            import io

            from .inputs.text import read_bounded

            data = read_bounded(path, limit=MAX_DOTENV_BYTES)
            if len(data) > MAX_DOTENV_BYTES:
                raise ConfigError(f"{path}: is larger than {MAX_DOTENV_BYTES // 1024} KB, more than any settings file; check it")
            values = dotenv_values(stream=io.StringIO(data.decode("utf-8")))
        else:
            values = dotenv_values(path)
        return {k: v for k, v in values.items() if v is not None}
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: is not UTF-8; re-save it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror}); check its permissions") from None


def _env_fields() -> dict[str, str]:
    """Each variable name a setting is read from (upper case) -> the setting's field name."""
    out: dict[str, str] = {}
    for name, field in Settings.model_fields.items():
        out[f"CNAPS_{name.upper()}"] = name
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            out.update({str(a).upper(): name for a in alias.choices if str(a).isupper()})
    return out


def _below_environment(dotenv: dict[str, str], given: dict[str, Any]) -> dict[str, str]:
    """The fields ``dotenv`` sets that no flag and no environment variable sets (its precedence)."""
    fields = _env_fields()
    from_env = {fields[k.upper()] for k in os.environ if k.upper() in fields}
    out: dict[str, str] = {}
    for key, value in dotenv.items():
        name = fields.get(key.upper())
        if name is not None and name not in given and name not in from_env:
            out[name] = value
    return out


def load_settings(**flags: Any) -> Settings:
    """Build settings; ``flags`` that are ``None`` (not given on the command line) are ignored."""
    given = {k: v for k, v in flags.items() if v is not None}
    for key, value in given.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(f"--{key.replace('_', '-')} must be a finite number")
    dotenv = _dotenv()
    _unknown_vars({**dotenv, **os.environ})
    try:
        if _is_fifo(".env"):  # read once, above: the settings library would read it again, and wait
            settings = Settings(_env_file=None, **{**_below_environment(dotenv, given), **given})
        else:
            settings = Settings(**given)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else "settings"
        env = name.upper() if name.startswith("openai_") else f"CNAPS_{name.upper()}"
        raise ConfigError(redact.redact(f"setting `{name}`: {err['msg']}; fix the flag, {env} or .env")) from None
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    redact.configure(key, *redact.url_secrets(settings.openai_base_url))
    return settings
