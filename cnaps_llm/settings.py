"""The one reader of the environment and ``.env``.

Precedence: command-line flag > environment > ``.env`` > default. Settings are
built by ``load_settings`` when a command runs, never at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent

StructuredMode = Literal["auto", "json_schema", "json_object", "text"]
CacheMode = Literal["auto", "replay", "record", "off"]
OnFail = Literal["report", "repair"]


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
    model: str = Field(default="gpt-4o-mini", min_length=1)
    timeout: float = Field(default=60.0, gt=0, description="Seconds per HTTP request.")
    max_attempts: int = Field(default=3, ge=1, le=20, description="Drafts per case (first try + reasks).")
    transport_retries: int = Field(default=4, ge=0, le=20, description="Retries of 429/5xx/timeouts per call.")
    max_retry_wait: float = Field(default=30.0, ge=0, description="Longest single back-off, seconds.")
    max_input_tokens: int = Field(default=6000, ge=500)
    max_output_tokens: int = Field(default=1200, ge=64)
    temperature: float = Field(default=0.0, ge=0, le=2)
    structured: StructuredMode = "auto"
    cache: CacheMode = "auto"
    cache_dir: Path = REPO_ROOT / "fixtures" / "cassettes"
    prompts_dir: Path = REPO_ROOT / "prompts"
    on_fail: OnFail = "report"

    @field_validator("openai_api_key", "openai_base_url", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        # `OPENAI_API_KEY=` in a copied .env.example means "not configured", not "empty key"
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def has_backend(self) -> bool:
        return self.openai_api_key is not None or bool(self.openai_base_url)


def load_settings(**flags: Any) -> Settings:
    """Build settings; ``flags`` that are ``None`` (not given on the command line) are ignored."""
    given = {k: v for k, v in flags.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else "settings"
        raise ConfigError(f"setting `{name}`: {err['msg']}; fix the flag, CNAPS_{name.upper()} or .env") from None
