"""Demo quizzes in Indonesian and the public session DEMO (/q/DEMO/), which stays open.

Looked up by title and code first, so running it again changes nothing.
"""

from django.utils.translation import gettext as _

from cms.models import Audience, Topic
from quizzes.models import Option, Question, QuestionKind, Quiz, QuizSession, SessionKind
from quizzes.services import session_create

S, M, TF = QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE

QUIZZES = [
    {
        "title": "Kenali dan Hentikan Perundungan",
        "introduction": "Kuis singkat setelah sosialisasi anti-perundungan. Ada 8 soal; "
        "setelah mengirim jawaban kamu bisa membaca penjelasan setiap soal.",
        "topic": "perundungan",
        "audience": "siswa-smp",
        "questions": [
            (
                S,
                "Apa yang dimaksud dengan perundungan (bullying)?",
                [
                    "Bercanda sekali dengan teman yang sama-sama tertawa",
                    "*Menyakiti seseorang dengan sengaja dan berulang, oleh pihak yang merasa "
                    "lebih kuat",
                    "Bertengkar sekali karena berbeda pendapat",
                    "Menegur teman yang melanggar aturan kelas",
                ],
                "Perundungan adalah perilaku menyakiti yang disengaja, terjadi berulang, dan "
                "ada ketimpangan kekuatan antara pelaku dan korban. Pertengkaran sekali atau "
                "candaan yang sama-sama dinikmati bukan perundungan.",
            ),
            (
                M,
                "Mana saja yang termasuk perundungan? Pilih semua yang benar.",
                [
                    "*Mengejek bentuk tubuh teman terus-menerus",
                    "*Sengaja mengucilkan teman dari kelompok",
                    "*Menyebarkan foto memalukan teman di grup WhatsApp",
                    "Meminjam pulpen teman dengan izin",
                ],
                "Perundungan bisa berbentuk fisik, verbal (ejekan), sosial (mengucilkan), dan "
                "siber (lewat ponsel dan internet). Meminjam barang dengan izin bukan "
                "perundungan.",
            ),
            (
                TF,
                "Perundungan lewat media sosial tidak seberbahaya perundungan secara langsung.",
                ["Benar", "*Salah"],
                "Perundungan siber bisa menyebar sangat cepat, dilihat banyak orang, dan sulit "
                "dihapus. Dampaknya bagi korban bisa sama berat, bahkan lebih berat.",
            ),
            (
                S,
                "Kamu melihat teman sekelas diejek terus-menerus. Apa yang sebaiknya kamu lakukan?",
                [
                    "Ikut tertawa supaya tidak menjadi sasaran berikutnya",
                    "Diam saja karena bukan urusanmu",
                    "*Ajak korban menjauh dari pelaku dan laporkan kepada guru atau TPPK",
                    "Merekam kejadiannya lalu menyebarkannya",
                ],
                "Saksi punya peran besar. Mendukung korban dan melapor kepada orang dewasa yang "
                "dipercaya dapat menghentikan perundungan. Merekam dan menyebarkan justru "
                "menambah luka korban.",
            ),
            (
                TF,
                "Melaporkan perundungan kepada guru sama saja dengan mengadu.",
                ["Benar", "*Salah"],
                "Melapor berarti menolong orang yang disakiti supaya aman. Kamu tidak sedang "
                "menjerumuskan siapa pun: kamu melindungi temanmu.",
            ),
            (
                S,
                "Permendikbudristek Nomor 46 Tahun 2023 mewajibkan setiap sekolah membentuk "
                "tim apa?",
                [
                    "OSIS",
                    "*Tim Pencegahan dan Penanganan Kekerasan (TPPK)",
                    "Komite Sekolah",
                    "Tim kebersihan sekolah",
                ],
                "Permendikbudristek 46/2023 tentang Pencegahan dan Penanganan Kekerasan di "
                "Lingkungan Satuan Pendidikan mewajibkan setiap sekolah membentuk TPPK, yang "
                "menerima laporan dan menangani kekerasan, termasuk perundungan.",
            ),
            (
                M,
                "Apa saja dampak perundungan bagi korban? Pilih semua yang benar.",
                [
                    "*Sulit berkonsentrasi saat belajar",
                    "*Takut atau tidak mau berangkat ke sekolah",
                    "*Sedih berkepanjangan atau cemas",
                    "Menjadi lebih percaya diri",
                ],
                "Perundungan melukai perasaan dan kesehatan mental korban, dan sering membuat "
                "nilai turun atau korban menghindari sekolah. Karena itu perundungan harus "
                "dihentikan, bukan dianggap biasa.",
            ),
            (
                S,
                "Berapa nomor layanan SAPA milik KemenPPPA untuk melaporkan kekerasan terhadap "
                "perempuan dan anak?",
                ["110", "112", "*129", "119"],
                "SAPA 129 bisa dihubungi lewat telepon 129 atau WhatsApp 08111-129-129. 110 "
                "adalah nomor polisi, 112 nomor panggilan darurat, dan 119 layanan gawat "
                "darurat medis.",
            ),
        ],
    },
    {
        "title": "Aman di Dunia Digital",
        "introduction": "Kuis singkat tentang keamanan digital untuk siswa SMA/SMK/MA: data "
        "pribadi, ancaman daring, dan perundungan siber. Ada 8 soal.",
        "topic": "keamanan-digital",
        "audience": "siswa-sma",
        "questions": [
            (
                S,
                "Kenalan baru di media sosial meminta foto pribadimu. Apa yang sebaiknya kamu "
                "lakukan?",
                [
                    "Mengirimnya karena dia tampak baik",
                    "*Menolak, memblokir bila dia memaksa, dan bercerita kepada orang dewasa "
                    "yang dipercaya",
                    "Mengirim foto lama saja",
                    "Meminta imbalan lebih dulu",
                ],
                "Permintaan foto pribadi dari orang yang baru dikenal adalah tanda bahaya "
                "(grooming). Foto yang sudah terkirim bisa disebarkan atau dipakai untuk "
                "memeras.",
            ),
            (
                M,
                "Mana saja yang sebaiknya tidak kamu bagikan di media sosial? Pilih semua yang "
                "benar.",
                ["*Alamat rumah", "*Nomor HP", "*Kata sandi akun", "Film favoritmu"],
                "Alamat, nomor HP, dan kata sandi bisa dipakai orang lain untuk menemukanmu, "
                "menipumu, atau mengambil alih akunmu. Kata sandi tidak boleh dibagikan kepada "
                "siapa pun.",
            ),
            (
                TF,
                "Jika seseorang mengancam akan menyebarkan foto pribadimu, sebaiknya kamu "
                "menuruti permintaannya agar foto itu tidak disebar.",
                ["Benar", "*Salah"],
                "Menuruti ancaman biasanya membuat pemerasan berlanjut. Jangan turuti, simpan "
                "bukti, blokir pelaku, dan laporkan kepada orang dewasa yang dipercaya, SAPA "
                "129, atau polisi. Kamu tidak bersalah.",
            ),
            (
                S,
                "Manakah kata sandi yang paling aman?",
                [
                    "Tanggal lahirmu",
                    "password123",
                    "*Kalimat panjang yang sulit ditebak, berbeda untuk setiap akun",
                    "Kata sandi yang sama untuk semua akun agar mudah diingat",
                ],
                "Kata sandi yang panjang dan unik untuk setiap akun paling sulit ditebak. "
                "Tanggal lahir dan kata umum mudah ditebak, dan kata sandi yang sama membuat "
                "semua akun ikut terbuka bila satu bocor. Aktifkan juga verifikasi dua langkah.",
            ),
            (
                TF,
                "Meneruskan foto atau video pribadi orang lain tanpa persetujuannya bisa dipidana.",
                ["*Benar", "Salah"],
                "UU No. 12 Tahun 2022 tentang Tindak Pidana Kekerasan Seksual mengatur "
                "kekerasan seksual berbasis elektronik, termasuk menyebarkan konten seksual "
                "tanpa persetujuan. UU ITE juga melarangnya. Jangan ikut menyebarkan.",
            ),
            (
                S,
                "Kamu menerima pesan: \u201cSelamat, kamu menang hadiah! Klik tautan ini dan "
                "kirim kode OTP.\u201d Apa yang sebaiknya kamu lakukan?",
                [
                    "Mengeklik dan mengisinya supaya hadiah cepat dikirim",
                    "*Mengabaikannya, tidak mengeklik tautan, dan tidak pernah membagikan kode OTP",
                    "Meneruskannya kepada teman-teman",
                    "Membalas dengan data dirimu",
                ],
                "Ini ciri penipuan (phishing). Kode OTP adalah kunci akunmu: bank, aplikasi, "
                "dan pihak resmi tidak pernah memintanya.",
            ),
            (
                M,
                "Apa yang bisa kamu lakukan jika mengalami perundungan siber? Pilih semua yang "
                "benar.",
                [
                    "*Menyimpan bukti berupa tangkapan layar",
                    "*Memblokir dan melaporkan akun pelaku ke platform",
                    "*Bercerita kepada orang dewasa yang kamu percaya",
                    "Membalas dengan hinaan yang lebih kasar",
                ],
                "Simpan bukti, blokir, laporkan, dan cari dukungan. Membalas biasanya membuat "
                "perundungan makin panjang dan bisa menjerumuskanmu sendiri.",
            ),
            (
                S,
                "Sebuah akun menawarkan kerja bergaji sangat tinggi tanpa syarat jelas dan "
                "memintamu berangkat diam-diam ke luar kota. Ini bisa menjadi tanda apa?",
                [
                    "Peluang emas yang harus segera diambil",
                    "*Modus perdagangan orang (TPPO)",
                    "Program magang dari sekolah",
                    "Beasiswa pemerintah",
                ],
                "Tawaran kerja yang terlalu bagus, tidak jelas, dan meminta kerahasiaan adalah "
                "modus umum perdagangan orang. Ceritakan kepada orang tua dan periksa ke Dinas "
                "Tenaga Kerja sebelum memutuskan apa pun.",
            ),
        ],
    },
]

DEMO_CODE = "DEMO"


def seed(stdout=None) -> None:
    quizzes = [_quiz(spec) for spec in QUIZZES]
    if not QuizSession.objects.filter(code=DEMO_CODE).exists():
        # Public (no school: students choose theirs) and never closing.
        session_create(quiz=quizzes[0], code=DEMO_CODE, kind=SessionKind.STANDALONE)
    if stdout:
        stdout.write(
            _("Quizzes: %(count)d quizzes, demo session at /q/%(code)s/.")
            % {"count": Quiz.objects.count(), "code": DEMO_CODE}
        )


def _quiz(spec: dict) -> Quiz:
    existing = Quiz.objects.filter(title=spec["title"]).first()
    if existing:
        return existing
    quiz = Quiz.objects.create(
        title=spec["title"],
        introduction=spec["introduction"],
        topic=Topic.objects.get(slug=spec["topic"]),
        audience=Audience.objects.get(slug=spec["audience"]),
        pass_mark=70,
    )
    for order, (kind, text, options, explanation) in enumerate(spec["questions"]):
        question = Question.objects.create(
            quiz=quiz, kind=kind, text=text, explanation=explanation, sort_order=order
        )
        Option.objects.bulk_create(
            Option(
                question=question,
                text=option.removeprefix("*"),
                is_correct=option.startswith("*"),
                sort_order=position,
            )
            for position, option in enumerate(options)
        )
    return quiz
