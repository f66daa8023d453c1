from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index


class Space(index.Indexed, models.Model):
    """A place of the mairie that calls open to residents (the salle des fêtes, the forecourts).

    Bookings (events) lock the space's row, so that two organisers cannot put two events in it at
    overlapping times (see services.proposal_schedule)."""

    mairie = models.ForeignKey("cms.Mairie", on_delete=models.CASCADE, related_name="occupai_spaces",
                               verbose_name=_("mairie"))
    name = models.CharField(_("nom"), max_length=100)
    description = models.TextField(_("présentation"), blank=True)
    location = models.CharField(_("accès"), max_length=200, blank=True,
                                help_text=_("Où se trouve l'espace, par exemple « Devant la mairie, côté place »."))
    capacity = models.PositiveIntegerField(_("capacité (personnes)"), validators=[MinValueValidator(1)])
    is_indoor = models.BooleanField(_("en intérieur"), default=True,
                                    help_text=_("Décochez pour un espace en plein air."))
    accessibility_notes = models.TextField(
        _("accessibilité"), blank=True,
        help_text=_("Accès en fauteuil, boucle magnétique, toilettes adaptées, espace calme…"))
    equipment = models.TextField(_("équipements"), blank=True, help_text=_("Un équipement par ligne."))
    photo = models.ForeignKey("wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("photo"))

    panels = [
        FieldPanel("mairie"),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("location"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("is_indoor")]),
        MultiFieldPanel([FieldPanel("accessibility_notes"), FieldPanel("equipment")], heading=_("Accueil")),
        FieldPanel("photo"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("mairie_id")]

    class Meta:
        ordering = ["mairie", "name"]
        constraints = [models.UniqueConstraint(fields=["mairie", "name"], name="occupai_space_unique_name")]
        verbose_name = _("espace")
        verbose_name_plural = _("espaces")

    def __str__(self):
        return self.name

    @property
    def setting_label(self):
        return _("Intérieur") if self.is_indoor else _("Extérieur")

    @property
    def equipment_list(self):
        return [line.strip(" -•\t") for line in self.equipment.splitlines() if line.strip(" -•\t")]

    @property
    def full_location(self):
        parts = [self.name, self.location, self.mairie.name, self.mairie.address]
        return ", ".join(p for p in parts if p)
