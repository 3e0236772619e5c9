from rest_framework import serializers

from votes.models import Ballot, Candidate, Milestone, ProgressReport, Project, VoteSession
from votes.selectors import satisfaction_rate


class CandidateSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)

    class Meta:
        model = Candidate
        fields = [
            "id",
            "position",
            "title",
            "description",
            "budget",
            "department",
            "department_name",
            "timeline",
            "beneficiaries",
            "source",
            "source_display",
        ]


class VoteSessionSerializer(serializers.ModelSerializer):
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    region_name = serializers.CharField(source="congress.region.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    majority_base_display = serializers.CharField(source="get_majority_base_display", read_only=True)
    candidates = CandidateSerializer(many=True, read_only=True)
    min_candidates = serializers.IntegerField(read_only=True, help_text="差额规则要求的最少候选项目数")

    class Meta:
        model = VoteSession
        fields = [
            "id",
            "title",
            "round_number",
            "parent",
            "congress",
            "congress_name",
            "region_name",
            "meeting",
            "meeting_date",
            "year",
            "seats",
            "min_candidates",
            "majority_base",
            "majority_base_display",
            "allow_self_checkin",
            "status",
            "status_display",
            "candidates",
        ]


class CandidateResultSerializer(serializers.ModelSerializer):
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = Candidate
        fields = [
            "id",
            "position",
            "title",
            "budget",
            "department_name",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "rank",
            "outcome",
            "outcome_display",
        ]


class VoteResultSerializer(serializers.ModelSerializer):
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    region_name = serializers.CharField(source="congress.region.name", read_only=True)
    candidate_count = serializers.SerializerMethodField()
    turnout = serializers.SerializerMethodField()
    candidates = CandidateResultSerializer(many=True, read_only=True)

    class Meta:
        model = VoteSession
        fields = [
            "id",
            "title",
            "round_number",
            "parent",
            "congress_name",
            "region_name",
            "meeting",
            "meeting_date",
            "year",
            "seats",
            "candidate_count",
            "majority_base",
            "majority_threshold",
            "electorate_size",
            "present_count",
            "ballots_cast",
            "electronic_ballots",
            "paper_ballots",
            "turnout",
            "tie_detected",
            "chain_salt",
            "final_hash",
            "closed_at",
            "candidates",
        ]

    def get_candidate_count(self, obj) -> int:
        return len(obj.candidates.all())

    def get_turnout(self, obj) -> str:
        """收回选票 / 全体代表, percent with one decimal."""
        if not obj.electorate_size:
            return "0.0"
        return f"{obj.ballots_cast * 100 / obj.electorate_size:.1f}"


class ChoiceInputSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    choice = serializers.ChoiceField(choices=Ballot.Choice.choices)


class BallotCastInputSerializer(serializers.Serializer):
    choices = ChoiceInputSerializer(many=True, allow_empty=False)


class BallotCastOutputSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    message = serializers.CharField(help_text="不返回本票哈希或序号：代表无法向他人证明自己的投票内容")


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "done_on"]


class ProgressReportSerializer(serializers.ModelSerializer):
    photos = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = ["id", "text", "percent", "created_at", "photos"]

    def get_photos(self, obj) -> list[str]:
        return [photo.image.url for photo in obj.photos.all()]


class ProjectSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="session.congress.region.name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    status = serializers.CharField(read_only=True, help_text="implementing 实施中 / finished 已完成")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    ratings_total = serializers.IntegerField(read_only=True)
    satisfaction_rate = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "title",
            "year",
            "region_name",
            "session",
            "budget",
            "department_name",
            "status",
            "status_display",
            "progress",
            "finished_on",
            "ratings_total",
            "satisfaction_rate",
        ]

    def get_satisfaction_rate(self, obj) -> str | None:
        rate = satisfaction_rate(obj.ratings_satisfied, obj.ratings_total)
        return None if rate is None else str(rate)


class ProjectDetailSerializer(ProjectSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True)
    reports = ProgressReportSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "milestones", "reports"]
