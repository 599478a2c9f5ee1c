"""The registry of regions and schools that campaigns target.

Regions carry their official Kemendagri codes (64.09 = a kabupaten, 64.09.01 = one of
its kecamatan, 64.09.01.1001 = a kelurahan there) so that imports from other
government files can match them. Villages are targets of community sessions in their
own right, not only the place a school is in.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Indonesia's bounding box, with a little margin: a point outside it is a typo
# (swapped latitude/longitude, a missing minus sign...).
LATITUDE_RANGE = (Decimal("-11.5"), Decimal("6.5"))
LONGITUDE_RANGE = (Decimal("94.5"), Decimal("141.5"))

npsn_validator = RegexValidator(r"^\d{8}$", _("The NPSN must be exactly 8 digits."))
regency_code_validator = RegexValidator(r"^\d{2}\.\d{2}$", _("Write the code as 64.09."))
district_code_validator = RegexValidator(r"^\d{2}\.\d{2}\.\d{2}$", _("Write the code as 64.09.01."))
village_code_validator = RegexValidator(
    r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$", _("Write the code as 64.09.01.1001.")
)


class Regency(models.Model):
    code = models.CharField(
        _("Kemendagri code"), max_length=5, unique=True, validators=[regency_code_validator]
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("regency")
        verbose_name_plural = _("regencies")

    def __str__(self):
        return self.name


class RegencyMember(models.Model):
    """A user limited to one regency: the reach figures, their exports and reports and
    the coordination meetings they see are that regency's only. An instance may hold
    several regencies of a province; a user without a row sees them all. Admins set it.
    PROTECT: deleting a regency must not quietly widen what its members see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="regency_member",
        error_messages={
            "unique": _("This user is already limited to a regency: change that limit instead.")
        },
    )
    regency = models.ForeignKey(
        Regency, verbose_name=_("regency"), on_delete=models.PROTECT, related_name="members"
    )

    class Meta:
        verbose_name = _("regency member")
        verbose_name_plural = _("regency members")

    def __str__(self):
        return f"{self.user} · {self.regency}"


class District(models.Model):
    """A kecamatan."""

    code = models.CharField(
        _("Kemendagri code"), max_length=8, unique=True, validators=[district_code_validator]
    )
    name = models.CharField(_("name"), max_length=100)
    regency = models.ForeignKey(
        Regency, verbose_name=_("regency"), on_delete=models.PROTECT, related_name="districts"
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self):
        return self.name


class VillageKind(models.TextChoices):
    DESA = "desa", _("Desa")
    KELURAHAN = "kelurahan", _("Kelurahan")


class Village(models.Model):
    """A desa or kelurahan."""

    code = models.CharField(
        _("Kemendagri code"), max_length=13, unique=True, validators=[village_code_validator]
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=VillageKind.choices)
    district = models.ForeignKey(
        District, verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="villages"
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        ordering = ["district__name", "name"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"

    def clean(self):
        # A desa's code begins with its kecamatan's (64.09.01.1001 is in 64.09.01).
        if self.district_id and self.code and not self.code.startswith(self.district.code + "."):
            raise ValidationError(
                {"code": _("This code is not in the code of the chosen kecamatan.")}
            )


class SchoolLevel(models.TextChoices):
    PAUD = "paud", _("PAUD/TK")
    SD = "sd", "SD"
    MI = "mi", "MI"
    SMP = "smp", "SMP"
    MTS = "mts", "MTs"
    SMA = "sma", "SMA"
    MA = "ma", "MA"
    SMK = "smk", "SMK"
    SLB = "slb", "SLB"
    PKBM = "pkbm", "PKBM"


class SchoolStatus(models.TextChoices):
    NEGERI = "negeri", _("Public (negeri)")
    SWASTA = "swasta", _("Private (swasta)")


class Ministry(models.TextChoices):
    KEMENDIKDASMEN = "kemendikdasmen", "Kemendikdasmen"
    KEMENAG = "kemenag", "Kemenag"


class TPPKStatus(models.TextChoices):
    YES = "yes", _("Formed")
    NO = "no", _("Not formed")
    UNKNOWN = "unknown", _("Unknown")


class School(models.Model):
    """A school in the registry, identified by its NPSN (national school number)."""

    npsn = models.CharField("NPSN", max_length=8, unique=True, validators=[npsn_validator])
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=SchoolLevel.choices)
    education_form = models.CharField(
        _("form of education (source)"),
        max_length=50,
        blank=True,
        help_text=_("The source's 'bentuk pendidikan', kept as written."),
    )
    status = models.CharField(_("status"), max_length=10, choices=SchoolStatus.choices)
    ministry = models.CharField(
        _("supervising ministry"), max_length=20, choices=Ministry.choices, blank=True
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="schools"
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="schools",
        null=True,
        blank=True,
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(LATITUDE_RANGE[0]), MaxValueValidator(LATITUDE_RANGE[1])],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(LONGITUDE_RANGE[0]),
            MaxValueValidator(LONGITUDE_RANGE[1]),
        ],
    )
    headteacher = models.CharField(_("headteacher"), max_length=150, blank=True)
    phone = models.CharField(_("school phone"), max_length=30, blank=True)
    email = models.EmailField(_("school email"), blank=True)
    students_male = models.PositiveIntegerField(_("male students"), null=True, blank=True)
    students_female = models.PositiveIntegerField(_("female students"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    tppk_status = models.CharField(
        _("TPPK formed"),
        max_length=10,
        choices=TPPKStatus.choices,
        default=TPPKStatus.UNKNOWN,
        help_text=_(
            "Tim Pencegahan dan Penanganan Kekerasan, required by Permendikbudristek 46/2023."
        ),
    )
    tppk_decree_date = models.DateField(_("TPPK decree date"), null=True, blank=True)
    tppk_contact = models.CharField(_("TPPK contact"), max_length=150, blank=True)
    source = models.CharField(
        _("data source"), max_length=255, blank=True, help_text=_("Where this row came from.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=LATITUDE_RANGE[0], latitude__lte=LATITUDE_RANGE[1]),
                name="school_latitude_in_indonesia",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=LONGITUDE_RANGE[0], longitude__lte=LONGITUDE_RANGE[1]),
                name="school_longitude_in_indonesia",
            ),
        ]
        indexes = [models.Index(fields=["district", "level"])]

    def __str__(self):
        return f"{self.name} ({self.npsn})"

    def clean(self):
        if self.village_id and self.district_id and self.village.district_id != self.district_id:
            raise ValidationError({"village": _("This village is not in the chosen kecamatan.")})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))

    @property
    def student_count(self):
        if self.students_male is None and self.students_female is None:
            return None
        return (self.students_male or 0) + (self.students_female or 0)


def school_import_path(instance, filename):
    # The stored name says nothing about the school file; only its id leads to it.
    return f"school-imports/{instance.pk}"


class SchoolImport(models.Model):
    """A school file uploaded in the admin: kept on the server between its preview and
    its confirmation (the browser only ever holds the unguessable id), then the record
    of what it changed. The file itself is deleted once imported."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        IMPORTED = "imported", _("Imported")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField(_("file"), upload_to=school_import_path, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED
    )
    report = models.JSONField(_("report"), default=dict)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("school import")
        verbose_name_plural = _("school imports")

    def __str__(self):
        return self.file_name


class Boundary(models.Model):
    """The outline of a kecamatan or of a desa/kelurahan: its GeoJSON geometry (Polygon
    or MultiPolygon, [longitude, latitude] pairs) as `import_boundaries` loaded it.

    A table of its own rather than a field on the region: a geometry can weigh a
    hundred times the rest of the row, and regions are loaded everywhere (a school's
    kecamatan, the dashboard's cached figures, every import), while only the reach map
    reads shapes. A JSONField rather than a GeoDjango geometry: the shapes are drawn,
    never queried spatially, so neither PostGIS nor GDAL is needed. The bounding box is
    kept in columns so a map's frame is one aggregate query."""

    district = models.OneToOneField(
        District,
        verbose_name=_("kecamatan"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="boundary",
    )
    village = models.OneToOneField(
        Village,
        verbose_name=_("village"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="boundary",
    )
    geometry = models.JSONField(_("geometry"))
    min_longitude = models.FloatField()
    min_latitude = models.FloatField()
    max_longitude = models.FloatField()
    max_latitude = models.FloatField()
    source = models.CharField(_("data source"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("boundary")
        verbose_name_plural = _("boundaries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(district__isnull=False, village__isnull=True)
                | models.Q(district__isnull=True, village__isnull=False),
                name="boundary_of_one_region",
            )
        ]

    def __str__(self):
        return str(self.district or self.village)
