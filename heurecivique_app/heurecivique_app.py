"""The Reflex app: wiring only."""

import reflex as rx
from reflex import constants
from reflex.utils.prerequisites import get_web_dir

from heurecivique_app.api import api
from heurecivique_app.api.headers import security_headers
from heurecivique_app.api.page_paths import page_index
from heurecivique_app.components.pwa import pwa_head
from heurecivique_app.jobs import run_jobs
from heurecivique_app.pages.account import account
from heurecivique_app.pages.accountability import audit_page, privacy_console_page
from heurecivique_app.pages.beneficiary import beneficiary_page
from heurecivique_app.pages.board import board
from heurecivique_app.pages.charter import charter
from heurecivique_app.pages.collective import attendance, collective_new
from heurecivique_app.pages.console import console
from heurecivique_app.pages.departement import departement_site
from heurecivique_app.pages.followup import followup_page
from heurecivique_app.pages.group_message import group_message_page
from heurecivique_app.pages.home import home
from heurecivique_app.pages.index import index
from heurecivique_app.pages.info import insurance_page, privacy_page
from heurecivique_app.pages.intake import intake_page
from heurecivique_app.pages.lists import beneficiaries_list, missions_list
from heurecivique_app.pages.login import login
from heurecivique_app.pages.map import map_page
from heurecivique_app.pages.match import match_page
from heurecivique_app.pages.mission import mission
from heurecivique_app.pages.notifications import notifications_page
from heurecivique_app.pages.onboarding import commune_page, communes_page
from heurecivique_app.pages.place import place
from heurecivique_app.pages.pool import pool_page, volunteer_page
from heurecivique_app.pages.public import public_site
from heurecivique_app.pages.relay import relay_home
from heurecivique_app.pages.relay_issue import relay_issue
from heurecivique_app.pages.relay_need import relay_need
from heurecivique_app.pages.signup import signup
from heurecivique_app.pages.staff_admin import staff_page
from heurecivique_app.pages.stats import stats_page
from heurecivique_app.pages.triage import triage
from heurecivique_app.presenters.collective import roster_vars
from heurecivique_app.presenters.inbox import inbox_vars
from heurecivique_app.presenters.missions import (
    board_vars,
    console_vars,
    mission_vars,
    staff_page_vars,
)
from heurecivique_app.presenters.stats import LIVE_INTERVAL, stats_vars
from heurecivique_app.realtime.admission import events_in_turn
from heurecivique_app.realtime.drain import drain_events_on_stop
from heurecivique_app.realtime.gc_tuning import tune_garbage_collector
from heurecivique_app.realtime.live import live
from heurecivique_app.realtime.lock_notices import lock_notices
from heurecivique_app.realtime.lock_safety import safe_state_locks
from heurecivique_app.realtime.rebalance import rebalance_tabs
from heurecivique_app.settings import get_settings
from heurecivique_app.state.account import AccountState
from heurecivique_app.state.accountability import AuditState, PrivacyState
from heurecivique_app.state.base import AppState
from heurecivique_app.state.beneficiary import BeneficiaryState
from heurecivique_app.state.board import BoardState
from heurecivique_app.state.charter import CharterState
from heurecivique_app.state.collective import AttendanceState, CollectiveFormState
from heurecivique_app.state.console import ConsoleState
from heurecivique_app.state.departement import DepartementState
from heurecivique_app.state.followup import FollowUpState
from heurecivique_app.state.group_message import GroupMessageState
from heurecivique_app.state.home import HomeState
from heurecivique_app.state.identity import SessionBinding
from heurecivique_app.state.inbox import InboxState
from heurecivique_app.state.info import InfoState
from heurecivique_app.state.intake import IntakeState
from heurecivique_app.state.lists import BeneficiaryListState, MissionListState
from heurecivique_app.state.login import LoginState
from heurecivique_app.state.map import MapState
from heurecivique_app.state.match import MatchState
from heurecivique_app.state.mission import MissionState
from heurecivique_app.state.onboarding import CommuneEditState, CommunesAdminState
from heurecivique_app.state.place import PlaceState
from heurecivique_app.state.pool import PoolState, VolunteerState
from heurecivique_app.state.public import PublicState
from heurecivique_app.state.relay import RelayState
from heurecivique_app.state.signup import SignupState
from heurecivique_app.state.staff_admin import StaffAdminState
from heurecivique_app.state.stats import StatsState
from heurecivique_app.state.triage import TriageState
from heurecivique_app.wiring import logs

TITLE = "HeureCivique"
CONSOLE_INTERVAL = 1.0  # seconds between two live renders of one commune's console

# HC_LOG_FORMAT=json: one JSON line per record; e-mails and phones blanked in every format.
logs.configure_logging(fmt=get_settings().log_format, level=get_settings().log_level)

BUILD_DIR = get_web_dir() / constants.Dirs.STATIC  # the production frontend's files
app = rx.App(
    # Our routes first, then the security headers around everything (pages, build
    # files, routes): the frontend build is mounted inside ``api`` in production.
    # /login is answered with login/index.html at once, not redirected to /login/.
    api_transformer=[api, page_index(BUILD_DIR), security_headers(get_settings(), BUILD_DIR)],
    stylesheets=["/ui.css", "/styles.css"],
    head_components=[rx.el.meta(name="theme-color", content="#1d4ed8"), *pwa_head()],
    html_lang="fr",
)
# Reflex hands engine.io an empty origin list, which switches the Origin check off
# entirely; None restores engine.io's default: only the app's own origin may connect.
if app.sio is not None:
    app.sio.eio.cors_allowed_origins = None
# A tab's states belong to one login session: emptied before any event of another.
app.add_middleware(SessionBinding())

app.add_page(index, route="/", title=TITLE, on_load=AppState.go_home)
app.add_page(login, route="/login", title=TITLE, on_load=LoginState.load)
app.add_page(board, route="/board", title=TITLE, on_load=BoardState.load)
app.add_page(mission, route="/missions/[mission_id]", title=TITLE, on_load=MissionState.load)
app.add_page(map_page, route="/map", title=TITLE, on_load=MapState.load)
app.add_page(console, route="/console", title=TITLE, on_load=ConsoleState.load)
app.add_page(place, route="/place/[mission_id]", title=TITLE, on_load=PlaceState.load)
app.add_page(triage, route="/console/reports", title=TITLE, on_load=TriageState.load)
app.add_page(intake_page, route="/console/intake", title=TITLE, on_load=IntakeState.load)
app.add_page(pool_page, route="/console/volunteers", title=TITLE, on_load=PoolState.load)
app.add_page(volunteer_page, route="/console/volunteers/[volunteer_id]", title=TITLE,
             on_load=VolunteerState.load)
app.add_page(match_page, route="/console/match/[mission_id]", title=TITLE,
             on_load=MatchState.load)
app.add_page(missions_list, route="/console/missions", title=TITLE,
             on_load=MissionListState.load)
app.add_page(followup_page, route="/console/missions/[mission_id]", title=TITLE,
             on_load=FollowUpState.load)
app.add_page(beneficiaries_list, route="/console/beneficiaries", title=TITLE,
             on_load=BeneficiaryListState.load)
app.add_page(beneficiary_page, route="/console/beneficiaries/[beneficiary_id]", title=TITLE,
             on_load=BeneficiaryState.load)
app.add_page(audit_page, route="/console/audit", title=TITLE, on_load=AuditState.load)
app.add_page(staff_page, route="/console/staff", title=TITLE, on_load=StaffAdminState.load)
app.add_page(privacy_console_page, route="/console/privacy", title=TITLE,
             on_load=PrivacyState.load)
app.add_page(collective_new, route="/console/collective/new", title=TITLE,
             on_load=CollectiveFormState.load)
app.add_page(group_message_page, route="/console/messages", title=TITLE,
             on_load=GroupMessageState.load)
app.add_page(attendance, route="/console/attendance/[mission_id]", title=TITLE,
             on_load=AttendanceState.load)
# Evaluation dashboards (issue 20): a commune's staff, the département's coordinator.
app.add_page(stats_page, route="/console/stats", title=TITLE, on_load=StatsState.load)
app.add_page(stats_page, route="/console/stats/departement", title=TITLE,
             on_load=StatsState.load_departement)
app.add_page(relay_home, route="/relay", title=TITLE, on_load=RelayState.load)
app.add_page(relay_issue, route="/relay/issue", title=TITLE, on_load=RelayState.load)
app.add_page(relay_need, route="/relay/need", title=TITLE, on_load=RelayState.load)
# The volunteer's app (issue 4): sign-up from the poster, home, charter, account.
app.add_page(signup, route="/signup", title=TITLE, on_load=SignupState.load)
app.add_page(home, route="/home", title=TITLE, on_load=HomeState.load)
app.add_page(charter, route="/charter", title=TITLE, on_load=CharterState.load)
app.add_page(account, route="/account", title=TITLE, on_load=AccountState.load)
app.add_page(notifications_page, route="/notifications", title=TITLE,
             on_load=InboxState.load)
app.add_page(privacy_page, route="/privacy", title=TITLE, on_load=InfoState.load)
app.add_page(insurance_page, route="/insurance", title=TITLE, on_load=InfoState.load)
app.add_page(public_site, route="/c/[slug]", title="L'Heure Civique", on_load=PublicState.load)
app.add_page(departement_site, route="/d/[code]", title="L'Heure Civique",
             on_load=DepartementState.load)
# Onboarding a territory (issue 18): communes, their neighbourhoods and first staff.
app.add_page(communes_page, route="/admin/communes", title=TITLE, on_load=CommunesAdminState.load)
app.add_page(commune_page, route="/admin/communes/[commune_id]", title=TITLE,
             on_load=CommuneEditState.load)

# Live boards: which state each kind of channel updates, and from which public data.
live.register("board", BoardState, board_vars)
# The console reads the whole commune (its missions, panes and dashboard): a change
# alone is shown at once, a burst at most once a second (in the soak test, 1,000
# volunteers, it was 15 % of a worker's time, redone for nearly every accept).
live.register("console", ConsoleState, console_vars, min_interval=CONSOLE_INTERVAL)
live.register("mission", MissionState, mission_vars)
live.register("roster", AttendanceState, roster_vars)
# The referent's pages of one mission: a new version only, each tab re-reads its own page.
live.register("followup", FollowUpState, staff_page_vars)
live.register("match", MatchState, staff_page_vars)
# The evaluation dashboards: the same, at most once every LIVE_INTERVAL s per commune.
live.register("stats", StatsState, stats_vars, min_interval=LIVE_INTERVAL)
# Each person's notification centre: a new version only, on their own channel; the bell
# (every page's header), /notifications and /home read their own data again.
live.register("inbox", AppState, inbox_vars, version_var="inbox_version", personal=True)
live.attach(app)
app.register_lifespan_task(tune_garbage_collector)
app.register_lifespan_task(drain_events_on_stop)
app.register_lifespan_task(events_in_turn)
app.register_lifespan_task(lock_notices)
app.register_lifespan_task(safe_state_locks)
# After a worker restart, the tabs that moved to the others come back a few at a time.
app.register_lifespan_task(rebalance_tabs)
# Due work (e-mails, reminders): one runner per backend worker, claims never overlap.
app.register_lifespan_task(run_jobs)
