"""Recompute a vote session's hash chain and tally from the stored ballots; exit non-zero if anything changed."""

from django.core.management.base import BaseCommand, CommandError

from votes.models import VoteSession
from votes.selectors import verify_session


class Command(BaseCommand):
    help = "校验票决会议的选票哈希链与计票结果（选票被修改、增加或删除时以非零状态退出）"

    def add_arguments(self, parser):
        parser.add_argument("session_id", type=int)

    def handle(self, *args, session_id, **options):
        session = VoteSession.objects.filter(pk=session_id).first()
        if session is None:
            raise CommandError(f"票决会议 {session_id} 不存在。")
        problems, summary = verify_session(session=session)
        if problems:
            for problem in problems:
                self.stderr.write(self.style.ERROR(f"!! {problem}"))
            raise CommandError(
                f"校验失败：票决会议 {session_id}「{session}」的选票记录已被篡改（{len(problems)} 处问题）。"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"校验通过：{session}，选票 {summary['ballots']} 张（电子 {summary['electronic']}，"
                f"纸质 {summary['paper']}），最终哈希 {summary['final_hash']}"
            )
        )
