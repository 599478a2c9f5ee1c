"""Demo content for the public site: the page tree, hotlines and a materials library
whose files are real PDFs rendered here from short awareness texts.

Everything is looked up by slug or title first, so running it again changes nothing.
"""

from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Collection, Page, Site

from cms.district import DistrictProfile, zone_of_region
from cms.models import (
    MATERIALS_COLLECTION,
    Audience,
    HelpPage,
    HelpSettings,
    HomePage,
    MaterialDocument,
    MaterialFile,
    MaterialIndexPage,
    MaterialPage,
    Topic,
)
from cms.pdf import render_to_pdf

HOTLINES = [
    {
        "name": "SAPA 129 (KemenPPPA)",
        "number": "129",
        "whatsapp": False,
        "description": "Layanan pengaduan kekerasan terhadap perempuan dan anak, gratis.",
    },
    {
        "name": "SAPA 129 lewat WhatsApp",
        "number": "08111-129-129",
        "whatsapp": True,
        "description": "Kirim pesan kapan saja.",
    },
    {
        "name": "Polisi",
        "number": "110",
        "whatsapp": False,
        "description": "Keadaan darurat dan ancaman langsung.",
    },
    {
        "name": "UPTD PPA Kabupaten Penajam Paser Utara",
        # The unit's own number is not public in our sources: staff add it in
        # Settings > Help and hotlines.
        "number": "",
        "whatsapp": False,
        "description": "Pendampingan korban di PPU; datang ke kantor DP3AP2KB di Penajam "
        "atau minta dihubungkan lewat SAPA 129.",
    },
]

DEMO_PROFILE = {
    "office_name": "DP3AP2KB Kabupaten Penajam Paser Utara",
    "office_short_name": "DP3AP2KB",
    "region_name": "Kabupaten Penajam Paser Utara",
    "region_code": "64.09",
    "time_zone": zone_of_region("64.09"),
}

HELP_TEXT = """
<p>Kalau kamu atau temanmu disakiti, diejek terus-menerus, diancam, dipaksa, atau
disentuh dengan cara yang membuatmu tidak nyaman, itu <b>bukan salahmu</b>. Kamu berhak
aman dan berhak mendapat bantuan.</p>
<h2>Apa yang bisa kamu lakukan sekarang</h2>
<ul>
<li>Ceritakan kepada orang dewasa yang kamu percaya: orang tua, guru, wali kelas, atau
guru BK.</li>
<li>Di sekolah, laporkan kepada Tim Pencegahan dan Penanganan Kekerasan (TPPK).</li>
<li>Hubungi SAPA 129 (telepon atau WhatsApp). Layanan ini gratis dan kerahasiaanmu
dijaga.</li>
<li>Kalau ada bahaya langsung, hubungi Polisi di 110.</li>
</ul>
<h2>Untuk guru dan orang tua</h2>
<p>Dengarkan tanpa menyalahkan, jangan memaksa anak bercerita di depan orang lain,
catat apa yang disampaikan, lalu rujuk ke TPPK sekolah atau UPTD PPA. Jangan
mempertemukan korban dengan pelaku tanpa pendampingan.</p>
"""


@dataclass
class DemoMaterial:
    title: str
    summary: str
    format: str
    topics: list[str]
    audiences: list[str]
    points: list[str]
    body: str = ""
    extra_files: list[str] = field(default_factory=list)


MATERIALS = [
    DemoMaterial(
        title="Stop Perundungan di Sekolah",
        summary="Poster untuk kelas dan papan pengumuman: apa itu perundungan, "
        "contohnya, dan apa yang bisa dilakukan saksi.",
        format="poster",
        topics=["perundungan"],
        audiences=["siswa-sd", "siswa-smp"],
        points=[
            "Perundungan adalah menyakiti orang lain dengan sengaja dan berulang: "
            "memukul, mengejek, mengucilkan, atau mempermalukan di media sosial.",
            "Kalau kamu melihatnya, jangan ikut tertawa. Ajak temanmu menjauh dari pelaku.",
            "Laporkan kepada guru atau TPPK sekolah. Melapor bukan mengadu, melapor menolong.",
            "Semua anak berhak merasa aman di sekolah.",
        ],
    ),
    DemoMaterial(
        title="Kenali Kekerasan Seksual dan Cara Melapor",
        summary="Leaflet untuk remaja dan orang tua tentang bentuk kekerasan seksual, "
        "termasuk yang terjadi lewat ponsel, dan jalur melapor.",
        format="leaflet",
        topics=["kekerasan-seksual"],
        audiences=["siswa-sma", "orang-tua"],
        points=[
            "Kekerasan seksual bukan hanya perkosaan. Sentuhan tanpa izin, komentar "
            "bernada seksual, memaksa mengirim foto, dan menyebarkan foto pribadi juga "
            "termasuk.",
            "UU No. 12 Tahun 2022 tentang Tindak Pidana Kekerasan Seksual melindungi "
            "korban, termasuk hak atas pendampingan dan pemulihan.",
            "Simpan bukti (pesan, tangkapan layar), tetapi jangan menyebarkannya.",
            "Laporkan ke SAPA 129, UPTD PPA, atau polisi. Korban tidak pernah bersalah.",
        ],
    ),
    DemoMaterial(
        title="Panduan Guru: Menangani Laporan Perundungan",
        summary="Modul singkat untuk guru dan TPPK: langkah menerima laporan, "
        "melindungi korban, dan menindaklanjuti sesuai Permendikbudristek 46/2023.",
        format="modul",
        topics=["perundungan", "kekerasan-terhadap-anak"],
        audiences=["guru"],
        points=[
            "Permendikbudristek No. 46 Tahun 2023 mewajibkan setiap satuan pendidikan "
            "membentuk Tim Pencegahan dan Penanganan Kekerasan (TPPK).",
            "Terima laporan dengan tenang, dengarkan tanpa menghakimi, dan catat "
            "kronologinya dengan kata-kata anak sendiri.",
            "Utamakan keselamatan korban: pisahkan dari pelaku dan jaga kerahasiaannya.",
            "Libatkan orang tua korban dan pelaku secara terpisah; rujuk ke UPTD PPA bila "
            "ada luka, ancaman, atau kekerasan seksual.",
            "Pelaku juga anak: beri konsekuensi yang mendidik dan pendampingan, bukan "
            "hukuman fisik atau mempermalukan.",
        ],
    ),
    DemoMaterial(
        title="Hentikan Kekerasan terhadap Anak di Rumah",
        summary="Leaflet untuk orang tua dan kader desa: mendisiplinkan tanpa "
        "memukul dan tanda anak yang mengalami kekerasan.",
        format="leaflet",
        topics=["kekerasan-terhadap-anak"],
        audiences=["orang-tua", "masyarakat-desa"],
        points=[
            "Memukul, membentak, dan menghina bukan cara mendidik. Anak belajar dari "
            "contoh, bukan dari rasa takut.",
            "Tanda yang perlu diperhatikan: luka yang tidak bisa dijelaskan, anak "
            "menjadi pendiam, takut pulang, atau sering bolos.",
            "UU No. 35 Tahun 2014 tentang Perlindungan Anak melarang siapa pun melakukan "
            "kekerasan terhadap anak.",
            "Tetangga dan kader desa boleh dan perlu melapor bila melihat kekerasan.",
        ],
    ),
    DemoMaterial(
        title="Perempuan Berhak Aman: Kenali KDRT",
        summary="Poster untuk balai desa dan posyandu tentang kekerasan dalam rumah "
        "tangga dan tempat meminta pertolongan.",
        format="poster",
        topics=["kekerasan-terhadap-perempuan"],
        audiences=["masyarakat-desa"],
        points=[
            "KDRT bisa berupa kekerasan fisik, psikis, seksual, atau penelantaran "
            "ekonomi (UU No. 23 Tahun 2004).",
            "KDRT bukan urusan pribadi yang harus disimpan. Itu tindak pidana.",
            "Korban berhak atas perlindungan, layanan kesehatan, dan pendampingan hukum.",
            "Hubungi SAPA 129 atau UPTD PPA. Bantuan tersedia dan rahasia.",
        ],
    ),
    DemoMaterial(
        title="Waspada Tawaran Kerja Palsu (TPPO)",
        summary="Slide untuk siswa SMA/SMK dan warga desa: modus perdagangan orang "
        "lewat tawaran kerja dan cara memeriksanya.",
        format="slide",
        topics=["tppo"],
        audiences=["siswa-sma", "masyarakat-desa"],
        points=[
            "Perdagangan orang sering dimulai dari tawaran kerja bergaji tinggi tanpa "
            "syarat yang jelas, di kota lain atau di luar negeri.",
            "Tanda bahaya: dokumen ditahan, biaya harus dibayar di depan, tempat kerja "
            "dirahasiakan, atau diminta berangkat diam-diam.",
            "Periksa perusahaan penyalur ke Dinas Tenaga Kerja dan jangan serahkan KTP "
            "atau ijazah asli.",
            "UU No. 21 Tahun 2007 mengancam pelaku TPPO dengan pidana penjara. "
            "Laporkan kecurigaan ke polisi atau SAPA 129.",
        ],
    ),
    DemoMaterial(
        title="Cegah Perkawinan Anak",
        summary="Slide untuk orang tua, siswa SMP, dan tokoh desa: batas usia "
        "menikah dan dampak perkawinan anak.",
        format="slide",
        topics=["perkawinan-anak"],
        audiences=["siswa-smp", "orang-tua", "masyarakat-desa"],
        points=[
            "Usia minimal menikah di Indonesia adalah 19 tahun, untuk perempuan dan "
            "laki-laki (UU No. 16 Tahun 2019).",
            "Perkawinan anak membuat anak putus sekolah dan meningkatkan risiko "
            "kematian ibu dan bayi, stunting, serta KDRT.",
            "Dispensasi kawin di Pengadilan Agama bukan jalan keluar dari masalah "
            "ekonomi atau rasa malu.",
            "Dukung anak menyelesaikan sekolah. Tokoh agama dan tokoh desa punya peran besar.",
        ],
    ),
    DemoMaterial(
        title="Anak Berhadapan dengan Hukum: Hak dan Pendampingan",
        summary="Modul untuk guru dan orang tua tentang hak anak yang berhadapan "
        "dengan hukum dan diversi.",
        format="modul",
        topics=["abh"],
        audiences=["guru", "orang-tua"],
        points=[
            "Anak berhadapan dengan hukum meliputi anak pelaku, anak korban, dan anak saksi.",
            "UU No. 11 Tahun 2012 tentang Sistem Peradilan Pidana Anak mengutamakan "
            "keadilan restoratif dan diversi.",
            "Anak berhak didampingi orang tua, pembimbing kemasyarakatan, dan penasihat "
            "hukum, serta identitasnya wajib dirahasiakan.",
            "Sekolah tetap wajib memenuhi hak anak atas pendidikan.",
        ],
    ),
    DemoMaterial(
        title="Aman di Internet: Jaga Data dan Dirimu",
        summary="Poster untuk siswa SMP dan SMA tentang keamanan digital: data "
        "pribadi, kenalan daring, dan perundungan siber.",
        format="poster",
        topics=["keamanan-digital", "perundungan"],
        audiences=["siswa-smp", "siswa-sma"],
        points=[
            "Jangan bagikan alamat rumah, nama sekolah lengkap, atau lokasi langsung "
            "kepada orang yang baru dikenal di internet.",
            "Tolak permintaan foto atau video pribadi, siapa pun yang meminta.",
            "Kalau diancam akan disebarkan, jangan turuti. Simpan bukti dan cerita "
            "kepada orang dewasa yang kamu percaya.",
            "Perundungan siber tetap perundungan. Blokir, laporkan akunnya, dan jangan "
            "ikut menyebarkan.",
        ],
    ),
]


def seed(stdout=None) -> None:
    home = _home_page()
    index = _child(
        home,
        MaterialIndexPage,
        slug="materi",
        title="Materi Sosialisasi",
        intro="Poster, slide, modul, dan leaflet untuk sekolah dan desa. Unduh dan "
        "gunakan dengan bebas untuk kegiatan sosialisasi.",
    )
    _child(home, HelpPage, slug="bantuan", title="Butuh bantuan?", intro=HELP_TEXT)
    site = Site.objects.get(is_default_site=True)
    _district_profile(site)
    _hotlines(site)
    for material in MATERIALS:
        _material(index, material)
    if stdout:
        count = MaterialPage.objects.count()
        stdout.write(_("Public site: %(count)d materials.") % {"count": count})


def _home_page() -> HomePage:
    home = HomePage.objects.first()
    if home:
        return home
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(
            title="Sekolah Aman",
            slug="beranda",
            intro="Sekolah dan desa yang aman untuk setiap anak di Penajam Paser Utara",
            body="<p>Kampanye DP3AP2KB Kabupaten Penajam Paser Utara bersama sekolah, desa, "
            "dan mitra untuk mencegah perundungan, kekerasan terhadap perempuan dan anak, "
            "perdagangan orang, dan perkawinan anak.</p>",
        )
    )
    site = Site.objects.filter(is_default_site=True).first()
    if site:
        old_root = site.root_page
        site.root_page = home
        site.save()
        # Wagtail's placeholder "Welcome" page is no longer reachable; remove it.
        if old_root.specific_class is Page and old_root.depth == 2:
            old_root.delete()
    else:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    return home


def _child(parent, page_class, *, slug: str, **fields):
    existing = page_class.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing
    return parent.add_child(instance=page_class(slug=slug, **fields))


def _district_profile(site: Site) -> None:
    """The demo's district; staff of another district change it in Settings, District
    profile (or with setup_district)."""
    if DistrictProfile.objects.filter(site=site).exists():
        return
    DistrictProfile.objects.create(site=site, **DEMO_PROFILE)


def _hotlines(site: Site) -> None:
    settings = HelpSettings.for_site(site)
    if not settings.hotlines:
        settings.hotlines = [("hotline", hotline) for hotline in HOTLINES]
        settings.save()


def _material(index: MaterialIndexPage, material: DemoMaterial) -> None:
    slug = slugify(material.title)
    if MaterialPage.objects.filter(slug=slug).exists():
        return
    document = _document(material)
    page = MaterialPage(
        title=material.title,
        slug=slug,
        summary=material.summary,
        body="".join(f"<p>{point}</p>" for point in material.points),
        format=material.format,
    )
    page.topics = list(Topic.objects.filter(slug__in=material.topics))
    page.audiences = list(Audience.objects.filter(slug__in=material.audiences))
    page.files = [MaterialFile(document=document)]
    index.add_child(instance=page)


def _document(material: DemoMaterial) -> MaterialDocument:
    existing = MaterialDocument.objects.filter(title=material.title).first()
    if existing:
        return existing
    pdf = render_to_pdf("cms/pdf/material.html", {"material": material, "hotlines": HOTLINES})
    document = MaterialDocument(
        collection=Collection.objects.get(depth=2, name=MATERIALS_COLLECTION),
        title=material.title,
        file=ContentFile(pdf, name=f"{slugify(material.title)}.pdf"),
    )
    document._set_document_file_metadata()
    document.save()
    return document
