"""Settings for Sekolah Aman, read from the environment (see .env.example).

With nothing set it runs anywhere: SQLite, local media, Celery tasks run eagerly.
DEBUG is off unless DJANGO_DEBUG=1 (`make run` and `make test` set it); without DEBUG a
real DJANGO_SECRET_KEY is required. Production uses deploy/env.production.example.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env("DJANGO_SECRET_KEY", default=DEVELOPMENT_SECRET_KEY if DEBUG else "")
# Without DEBUG the key signs sessions, CSRF tokens and quiz tokens in earnest: refuse a
# missing, placeholder or weak one (Django's own deploy check asks for 50 characters).
if not DEBUG and (
    SECRET_KEY == DEVELOPMENT_SECRET_KEY
    or SECRET_KEY.startswith("django-insecure-")
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY to a random string of at least 50 characters, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))', or DJANGO_DEBUG=1 "
        "for development."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "cms",
    "schools",
    "campaigns",
    "quizzes",
    "monitoring",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms.district.DistrictTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cms.links.LoopbackBaseUrlWarningMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cms.wagtail_params.WagtailParamsMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.district.context",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://sekolah-aman")}
# Redis down must not take a page down: its failures become misses (cms/cache.py), and it
# gets a second to answer (connect or reply) before it counts as down.
REDIS_SOCKET_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "cms.cache.ForgivingRedisCache"
    CACHES["default"]["OPTIONS"] = {**REDIS_SOCKET_OPTIONS, **CACHES["default"].get("OPTIONS", {})}
# Rate limit counters (cms/ratelimit.py): the cache's Redis when there is one, so that
# every process counts together; otherwise this process's memory.
_cache_url = env("CACHE_URL", default="")
RATELIMIT_STORAGE_URL = env(
    "RATELIMIT_STORAGE_URL",
    default=_cache_url if _cache_url.startswith(("redis://", "rediss://")) else "memory://",
)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: English source strings, Indonesian for everyone. There is no
# LocaleMiddleware on purpose: many phones here run in English, but their users (and
# the children) read Indonesian. Staff may pick English for the admin in their profile.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
# The project's own catalogue first; then the Indonesian that Wagtail 8 and the packages
# its admin shows (taggit, django-filter) do not ship, so that staff see no English.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_wagtail"]
# Times are shown and local days counted in the district profile's zone (cms/district.py),
# set in the admin. This one is the zone a new profile starts with, Celery beat's
# schedule and the admin's default for Wagtail's own timestamps: set it to the same.
TIME_ZONE = env("TIME_ZONE", default="Asia/Makassar")
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static files and media
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("DJANGO_MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    # Any S3-compatible service (AWS, MinIO, Wasabi...). Files stay private and are
    # served through short-lived signed URLs.
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Email
# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587
globals().update(env.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Sekolah Aman <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where staff notifications (e.g. new visit requests) go.
STAFF_NOTIFY_EMAILS = env.list("STAFF_NOTIFY_EMAILS", default=[])

# Visits: the school's or village's contact gets a confirmation this many days before.
VISIT_CONFIRMATION_DAYS = env.int("VISIT_CONFIRMATION_DAYS", default=3)
# Public visit requests allowed per hour from one IP address (a whole school may share
# one) and from everyone together.
VISIT_REQUESTS_PER_IP_HOUR = env.int("VISIT_REQUESTS_PER_IP_HOUR", default=10)
VISIT_REQUESTS_PER_HOUR = env.int("VISIT_REQUESTS_PER_HOUR", default=100)

# Celery: eager (in-process) when no broker is configured.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
# Queue the app sends its tasks to and a worker listens on by default; several
# deployments sharing one broker each need their own.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# A task is acknowledged only once it has run. When a pool process dies mid-task, its
# worker puts the task back at once (reject on worker lost). When the worker's main
# process itself dies (SIGKILL, the machine), Redis keeps the message as unacked until
# the visibility timeout; certificates do not wait for it: a starting worker requeues
# every pending certificate (quizzes/signal_handlers.py). Every task is idempotent, so
# a rerun is harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Longer than any task runs or waits for its retry (the emails' 15 minutes), else Redis
# hands it to a second worker while the first still holds it.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 20 * 60}
CELERY_BEAT_SCHEDULE: dict = {
    "campaigns-visit-reminders": {
        "task": "campaigns.tasks.reminders_send",
        "schedule": crontab(hour=7, minute=0),  # CELERY_TIMEZONE: 07:00
    },
}
CELERY_BEAT_SCHEDULE["quizzes-erase-expired-names"] = {
    "task": "quizzes.tasks.attempts_erase_expired",
    "schedule": crontab(hour=2, minute=30),  # every night (CELERY_TIMEZONE)
}
CELERY_BEAT_SCHEDULE["quizzes-erase-expired-answer-sheets"] = {
    "task": "quizzes.tasks.sheet_batches_erase_expired",
    "schedule": crontab(hour=2, minute=35),  # every night: photos of names
}
CELERY_BEAT_SCHEDULE["quizzes-requeue-stuck-answer-sheets"] = {
    "task": "quizzes.tasks.sheet_batches_requeue_stuck",
    "schedule": crontab(minute="*/10"),
}
CELERY_BEAT_SCHEDULE["quizzes-requeue-stuck-certificates"] = {
    "task": "quizzes.tasks.certificates_requeue_stuck",
    "schedule": crontab(minute="*/5"),
}
CELERY_BEAT_SCHEDULE["quizzes-delete-orphan-certificate-files"] = {
    "task": "quizzes.tasks.certificate_files_delete_orphans",
    "schedule": crontab(hour=2, minute=45),  # every night, after the erasure
}
CELERY_BEAT_SCHEDULE["quizzes-refresh-quiz-tallies"] = {
    "task": "quizzes.tasks.quiz_tallies_refresh",
    "schedule": crontab(minute="*/10"),
}
CELERY_BEAT_SCHEDULE["quizzes-rebuild-quiz-tallies"] = {
    "task": "quizzes.tasks.quiz_tallies_refresh",
    "schedule": crontab(hour=3, minute=15),  # CELERY_TIMEZONE; also drops deleted attempts
    "kwargs": {"full": True},
}
CELERY_BEAT_SCHEDULE["monitoring-delete-old-reports"] = {
    "task": "monitoring.tasks.reach_reports_delete_old",
    "schedule": crontab(hour=3, minute=30),  # every night (CELERY_TIMEZONE)
}

CELERY_BEAT_SCHEDULE["monitoring-action-reminders"] = {
    "task": "monitoring.tasks.action_reminders_send",
    "schedule": crontab(hour=7, minute=5),  # CELERY_TIMEZONE, after the visits'
}

# Quizzes: students' names (and their certificate PDFs) are erased this many months
# after the attempt; the anonymous figures stay. The privacy notice quotes it.
QUIZ_RETENTION_MONTHS = env.int("QUIZ_RETENTION_MONTHS", default=12)

# Visits: the photos of a visit (children, with the school's or parents' consent) are
# deleted this many months after the visit, every night at 02:45.
VISIT_PHOTO_RETENTION_MONTHS = env.int("VISIT_PHOTO_RETENTION_MONTHS", default=24)
CELERY_BEAT_SCHEDULE["campaigns-delete-expired-visit-photos"] = {
    "task": "campaigns.tasks.visit_photos_delete_expired",
    "schedule": crontab(hour=2, minute=45),  # every night (CELERY_TIMEZONE)
}

# Security
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "cms.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content Security Policy. Public pages use no script, no inline style and nothing
# from other hosts. Wagtail's admin still relies on inline scripts and styles, so it
# is left out of the strict policy.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-src": ["https://www.youtube-nocookie.com"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login lockout: keyed on username + IP together, so one pupil guessing on a school's
# shared connection cannot lock out everyone behind that IP.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "axes_lockout.html"
AXES_RESET_ON_SUCCESS = True
CLIENT_IP_HEADER = env("DJANGO_CLIENT_IP_HEADER", default="REMOTE_ADDR")
AXES_CLIENT_IP_CALLABLE = "cms.client_ip.client_ip"

# Wagtail
WAGTAIL_SITE_NAME = "Sekolah Aman"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_DOCUMENT_MODEL = "cms.MaterialDocument"
WAGTAILDOCS_EXTENSIONS = ["pdf", "pptx", "ppt", "docx", "odt", "odp", "png", "jpg", "mp3", "mp4"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Pillow holds a decoded photo in 4 bytes a pixel, for the upload check and for every
# rendition, and no upload may grow a web process by more than 100 MB: 16 million
# pixels (64 MB decoded) takes a phone's normal 12 MP photo (4000 x 3000) and a 16 MP
# one (4608 x 3456), not a 48 MP full-resolution shot (8000 x 6000, 192 MB). cms.apps
# makes Pillow refuse larger images when it reads their header, before decoding them.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 16_000_000
# Materials are searched in Indonesian: PostgreSQL's `indonesian` configuration (SQLite
# ignores SEARCH_CONFIG), over word roots that cms/search.py adds on both sides.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "indonesian"}
}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: every admin page would send a hash of the staff
# member's email to another host.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_PASSWORD_RESET_ENABLED = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # WeasyPrint and fontTools log every rendering step at INFO.
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}
AXES_VERBOSE = False
