"""The quiz tallies: derived sums of the attempts, which quizzes/tallies.py rebuilds
(imported by quizzes.models, so that Django finds them in the quizzes app)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuizTally(models.Model):
    """Quiz attempts summed per day (local), place and campaign, so that the reach
    figures add up a few thousand rows instead of reading every attempt. The place is
    the student's school, or for a session in a village (whose students name no
    school) that village; both roll up to their kecamatan.

    Derived data: quizzes.tallies.quiz_tallies_refresh rebuilds the rows from the attempts
    (the days with new attempts or newly ready certificates on each refresh, all of
    them every night); nothing else writes here. A pre/post pair counts on the day,
    school and campaign of its post-test.
    """

    day = models.DateField(_("day"))
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    village = models.ForeignKey(
        "schools.Village", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    attempts = models.PositiveIntegerField(default=0)
    # Of those, the answer sheets on paper.
    paper = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)
    score_sum = models.PositiveBigIntegerField(default=0)
    certificates = models.PositiveIntegerField(default=0)
    pairs = models.PositiveIntegerField(default=0)
    pre_score_sum = models.PositiveBigIntegerField(default=0)
    post_score_sum = models.PositiveBigIntegerField(default=0)
    improved = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("quiz tally")
        verbose_name_plural = _("quiz tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "school", "village", "campaign"],
                name="one_quiz_tally_per_day_place_campaign",
            )
        ]

    def __str__(self):
        return f"{self.day} · {self.school_id} · {self.village_id} · {self.campaign_id}"


class QuizTallyRefresh(models.Model):
    """The one row saying how far the quiz tallies are up to date. Refreshes lock it,
    so two never run at once."""

    last_attempt_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.last_attempt_id} @ {self.refreshed_at}"
