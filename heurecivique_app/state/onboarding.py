"""/admin/communes and /admin/communes/[commune_id]: onboarding communes (administrators).

Thin: services/onboarding.py decides who may do what (platform, département or
commune administrator); the handlers only parse the forms and show the answers.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import reflex as rx

from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import form_text
from heurecivique_app.presenters.onboarding import (
    CommuneRow,
    DepartementOption,
    HoodRow,
    ShapeRow,
    commune_row,
    contour_drawing,
    departement_option,
    hood_row,
    hoods_drawing,
)
from heurecivique_app.services import onboarding
from heurecivique_app.services.territory import CommuneForm
from heurecivique_app.state.base import AppState, Outcome, page_load, signed_in

ROLES = onboarding.ONBOARDING_ROLES


def _commune_form(data: dict, departement_code: str = "") -> CommuneForm:
    return CommuneForm(
        departement_code=(departement_code or form_text(data, "new_departement")
                          or form_text(data, "departement_code")),
        departement_name=form_text(data, "departement_name"),
        insee_code=form_text(data, "insee_code"), name=form_text(data, "name"),
        slug=form_text(data, "slug"), colour=form_text(data, "colour"),
        contact_phone=form_text(data, "contact_phone"),
        contact_email=form_text(data, "contact_email"),
        town_hall_address=form_text(data, "town_hall_address"),
        public_text=form_text(data, "public_text"))


class AdminState(AppState):
    """What both admin pages share: a message, field errors, the site's address."""

    field_errors: dict[str, str] = {}
    message: str = ""
    message_ok: bool = False

    def _answer(self, done: Outcome, success: str, **params) -> bool:
        self.field_errors = done.fields
        self.message, self.message_ok = ((self._tr(success, **params), True) if done.ok
                                         else (done.text, False))
        return done.ok

    def _site(self) -> str:
        return self._settings.public_url or "{0.scheme}://{0.netloc}".format(
            urlsplit(str(self.router.url)))


class CommunesAdminState(AdminState):
    """The communes an administrator may edit, and the forms to create one."""

    rows: list[CommuneRow] = []
    departements: list[DepartementOption] = []
    is_platform: bool = False
    form_key: int = 0

    def _reload(self, actor) -> None:
        with self._unit_of_work() as session:
            self.rows = [commune_row(c, d) for c, d in
                         onboarding.communes_for(session, actor=actor)]
            self.departements = [departement_option(d) for d in
                                 onboarding.departements_for(session, actor=actor)]
        self.is_platform = actor.role == "platform_admin"

    @rx.event
    @page_load(ROLES)
    def load(self, actor):
        self.field_errors, self.message = {}, ""
        self._reload(actor)

    @rx.event
    @signed_in
    def create_commune(self, actor, form_data: dict):
        form = _commune_form(form_data)
        done = self._run(lambda s: onboarding.create_commune(s, actor=actor, form=form).id)
        if self._answer(done, N_("The commune is created: now draw its neighbourhoods.")):
            self.form_key += 1
            return rx.redirect(f"/admin/communes/{done.value}")
        return None

    @rx.event
    @signed_in
    def save_departement(self, actor, form_data: dict):
        form = onboarding.DepartementForm(
            code=form_text(form_data, "code"), name=form_text(form_data, "dep_name"),
            contact_email=form_text(form_data, "dep_email"),
            join_text=form_text(form_data, "join_text"))
        done = self._run(lambda s: onboarding.save_departement(s, actor=actor, form=form).code)
        # The form's own field names, so each error sits under its field.
        renamed = {"name": "dep_name", "contact_email": "dep_email"}
        fields = {renamed.get(k, k): v for k, v in done.fields.items()}
        done.fields.clear()
        done.fields.update(fields)
        if self._answer(done, N_("The département is saved.")):
            self.form_key += 1
            self._reload(actor)


class CommuneEditState(AdminState):
    """One commune: its identity, logo, quarters (GeoJSON or circles) and first staff."""

    commune_id: int = 0
    found: bool = True
    name: str = ""
    slug: str = ""
    departement_code: str = ""
    insee_code: str = ""
    colour: str = "#1d4ed8"
    contact_phone: str = ""
    contact_email: str = ""
    town_hall_address: str = ""
    public_text: str = ""
    has_logo: bool = False
    logo_version: int = 0
    hoods: list[HoodRow] = []
    drawn: list[ShapeRow] = []
    preview: list[ShapeRow] = []
    preview_names: list[str] = []
    form_key: int = 0
    edit_key: int = 0  # the identity form is drawn again with the values just read
    # The file waiting for « Import »: kept on the server, never sent back to the browser.
    _geojson: bytes = b""

    def _reload(self, actor) -> None:
        with self._unit_of_work() as session:
            commune = onboarding.managed_commune(session, actor=actor,
                                                 commune_id=self.commune_id)
            hoods = onboarding.neighbourhoods_of(session, actor=actor,
                                                 commune_id=self.commune_id)
            code = onboarding.departement_code(session, commune)
        self.name, self.slug, self.insee_code = commune.name, commune.slug, commune.insee_code
        self.departement_code = code
        self.colour, self.contact_phone = commune.theme_color, commune.contact_phone
        self.contact_email, self.public_text = commune.contact_email, commune.public_text
        self.town_hall_address = commune.town_hall_address
        self.has_logo = bool(commune.logo_name)
        self.hoods = [hood_row(h, self.locale) for h in hoods]
        self.drawn = hoods_drawing(hoods)
        self.edit_key += 1

    @rx.event
    @page_load(ROLES)
    def load(self, actor):
        self.field_errors, self.message = {}, ""
        self.preview, self.preview_names, self._geojson = [], [], b""
        self.commune_id = self._route_id("commune_id")
        done = self._run(lambda s: onboarding.managed_commune(s, actor=actor,
                                                              commune_id=self.commune_id).id)
        self.found = done.ok
        if done.ok:
            self._reload(actor)

    @rx.event
    @signed_in
    def save(self, actor, form_data: dict):
        form = _commune_form(form_data, departement_code=self.departement_code)
        done = self._run(lambda s: onboarding.update_commune(
            s, actor=actor, commune_id=self.commune_id, form=form).id)
        if self._answer(done, N_("The commune is saved.")):
            self._reload(actor)

    @rx.event
    @signed_in
    async def upload_logo(self, actor, files: list[rx.UploadFile]):
        """Checked and re-encoded like a photo (adapters/photos.py), at most 1 MB."""
        if not files:
            return
        data = await files[0].read(onboarding.MAX_LOGO_BYTES + 1)
        done = self._run(lambda s: onboarding.store_logo(
            s, actor=actor, commune_id=self.commune_id, data=data,
            photos=self._adapters.photos))
        if self._answer(done, N_("The logo is saved.")):
            self.logo_version += 1
            self._reload(actor)

    @rx.event
    @signed_in
    async def upload_geojson(self, actor, files: list[rx.UploadFile]):
        """Read and check the file, and draw it: nothing is written before « Import »."""
        if not files:
            return
        data = await files[0].read(onboarding.MAX_GEOJSON_BYTES + 1)
        done = self._run(lambda s: onboarding.preview_contours(
            s, actor=actor, commune_id=self.commune_id, data=data))
        if self._answer(done, N_("{count} neighbourhood(s) read: check the drawing, then "
                                 "import."), count=len(done.value or [])):
            self._geojson = data
            self.preview = contour_drawing(done.value or [])
            self.preview_names = [c.name for c in done.value or []]
        else:
            self._geojson, self.preview, self.preview_names = b"", [], []

    @rx.event
    @signed_in
    def import_geojson(self, actor):
        data = self._geojson
        done = self._run(lambda s: onboarding.import_contours(
            s, actor=actor, commune_id=self.commune_id, data=data))
        created, redrawn = done.value or (0, 0)
        if self._answer(done, N_("Neighbourhoods imported: {created} new, {redrawn} redrawn."),
                        created=created, redrawn=redrawn):
            self._geojson, self.preview, self.preview_names = b"", [], []
            self._reload(actor)

    @rx.event
    @signed_in
    def add_circle(self, actor, form_data: dict):
        done = self._run(lambda s: onboarding.add_circle(
            s, actor=actor, commune_id=self.commune_id, name=form_text(form_data, "hood_name"),
            lat=form_text(form_data, "lat"), lon=form_text(form_data, "lon"),
            radius_m=form_text(form_data, "radius_m")).id)
        if "name" in done.fields:
            done.fields["hood_name"] = done.fields.pop("name")
        if self._answer(done, N_("The neighbourhood is added.")):
            self.form_key += 1
            self._reload(actor)

    @rx.event
    @signed_in
    def invite(self, actor, form_data: dict):
        done = self._run(lambda s: onboarding.invite_staff(
            s, actor=actor, commune_id=self.commune_id, email=form_text(form_data, "email"),
            name=form_text(form_data, "person_name"), role=form_text(form_data, "role"),
            site_url=self._site()).id)
        if "name" in done.fields:
            done.fields["person_name"] = done.fields.pop("name")
        if self._answer(done, N_("The invitation is on its way by e-mail.")):
            self.form_key += 1
