# The audit trail: its page and filter, and each entry written as a sentence and as lines of
# changes. `who` is who made the change, `target` what it was made to (an endpoint's URL, a
# member's e-mail, a plan's name).

audit-lead = Chaque modification des webhooks de cette entreprise : qui l’a faite, quand, et ce qui a changé.
audit-empty = Rien n’a encore changé
audit-older = Modifications plus anciennes
audit-pages = Pages
audit-the-deployment = Le déploiement

## The filter (the kinds of change reuse the navigation's names where they match)

audit-filter-label = Filtrer le journal d’audit
audit-filter-show = Afficher
audit-filter-every-change = Toutes les modifications
audit-filter-messages = Messages
audit-filter-company = Entreprise
audit-filter-plans = Offres
audit-filter-api-keys = Clés d’API
audit-filter-catalogue-imports = Imports du catalogue

## Who made a change, when it was not a person signed in with a password

audit-actor-portal-link = Lien de portail
audit-actor-portal-link-user = Lien de portail (utilisateur hôte { $user })
audit-actor-api-key = Clé d’API « { $name } »

## The entries as sentences

audit-endpoint-created = { $who } a ajouté le point de terminaison { $target }
audit-endpoint-updated = { $who } a modifié le point de terminaison { $target }
audit-endpoint-disabled = { $who } a désactivé le point de terminaison { $target }
audit-endpoint-enabled = { $who } a activé le point de terminaison { $target }
audit-endpoint-deleted = { $who } a supprimé le point de terminaison { $target }
audit-endpoint-secret-rotated = { $who } a renouvelé le secret de signature de { $target }
audit-endpoint-secret-revealed = { $who } a affiché le secret de signature de { $target }
audit-endpoint-headers-updated = { $who } a modifié les en-têtes personnalisés de { $target }
audit-endpoint-test-sent-type = { $who } a envoyé un événement de test { $type } à { $target }
audit-endpoint-test-sent = { $who } a envoyé un événement de test à { $target }
audit-endpoint-recovered =
    { $who } a renvoyé { $count ->
        [one] { $count } livraison échouée
       *[other] { $count } livraisons échouées
    } à { $target }
audit-endpoint-missed-sent =
    { $who } a envoyé à { $target } { $count ->
        [one] { $count } livraison qu’il avait manquée
       *[other] { $count } livraisons qu’il avait manquées
    }
audit-message-resent = { $who } a renvoyé le message { $target }
# A permission in a sentence is written in lower case ("read and write").
audit-user-invited = { $who } a invité { $target } avec l’autorisation « { $permission } »
audit-user-joined = { $who } a rejoint l’entreprise avec l’autorisation « { $permission } »
audit-user-permission-changed = { $who } a changé l’autorisation de { $target } de « { $from } » à « { $to } »
audit-no-permission = aucune autorisation
audit-user-removed = { $who } a retiré { $target } de l’entreprise
audit-application-created = { $who } a créé l’entreprise
audit-application-updated = { $who } a modifié les paramètres de l’entreprise
audit-application-deleted = { $who } a supprimé l’entreprise
audit-application-disabled = { $who } a désactivé l’entreprise
audit-application-enabled = { $who } a activé l’entreprise
audit-application-branding-changed = { $who } a modifié l’apparence du portail de l’entreprise
audit-application-plan-changed = { $who } a fait passer l’entreprise à l’offre { $plan }
audit-application-plan-removed = { $who } a retiré l’entreprise de son offre (sans limites)
audit-api-key-created = { $who } a créé la clé d’API { $target }
audit-api-key-revoked = { $who } a révoqué la clé d’API { $target }
audit-plan-created = { $who } a créé l’offre { $target }
audit-plan-updated = { $who } a modifié l’offre { $target }
audit-plan-deleted = { $who } a supprimé l’offre { $target }
audit-catalogue-imported =
    { $who } a importé le catalogue d’événements : { $created ->
        [one] { $created } créé
       *[other] { $created } créés
    }, { $updated ->
        [one] { $updated } modifié
       *[other] { $updated } modifiés
    }
audit-event-type-created = { $who } a ajouté le type d’événement { $target }
audit-event-type-updated = { $who } a modifié le type d’événement { $target }
audit-event-type-archived = { $who } a archivé le type d’événement { $target }
audit-event-type-restored = { $who } a restauré le type d’événement { $target }
audit-event-type-deleted = { $who } a supprimé le type d’événement { $target }
# An action a newer version filed; `action` is its technical name (endpoint.teleported).
audit-unknown = { $who } a effectué { $action } sur { $target }

## What changed, one line per field

audit-change = { $label } : { $from } → { $to }
audit-value = { $label } : { $value }
audit-value-all-events = tous les événements
audit-value-any-channel = tous les canaux
audit-value-none = néant
audit-value-yes = oui
audit-value-no = non
audit-duration-days =
    { $count ->
        [one] { $count } jour
       *[other] { $count } jours
    }
audit-duration-hours =
    { $count ->
        [one] { $count } heure
       *[other] { $count } heures
    }
audit-duration-minutes =
    { $count ->
        [one] { $count } minute
       *[other] { $count } minutes
    }
audit-duration-seconds =
    { $count ->
        [one] { $count } seconde
       *[other] { $count } secondes
    }

audit-field-url = URL
audit-field-uid = UID
audit-field-description = Description
audit-field-event-types = Types d’événements
audit-field-channels = Canaux
audit-field-disabled = Désactivé
audit-field-rate-limit = Limite de débit (par seconde)
audit-field-metadata = Métadonnées
audit-field-headers = En-têtes personnalisés
audit-field-grace-period = Ancien secret encore accepté pendant
audit-field-key-chosen-by-caller = Secret choisi par l’appelant
audit-field-message = Message
audit-field-endpoint = Point de terminaison
audit-field-event-type = Type d’événement
audit-field-since = Depuis
audit-field-until = Jusqu’à
audit-field-deliveries = Livraisons
audit-field-email = E-mail
audit-field-permission = Autorisation
audit-field-name = Nom
audit-field-plan = Offre
audit-field-display-name = Nom du produit
audit-field-logo = Logo
audit-field-accent-color = Couleur d’accent
audit-field-theme = Thème
audit-field-upgrade-url = Page de changement d’offre
audit-field-group = Groupe
# Counts of an import of the event catalogue.
audit-field-created = Créés
audit-field-updated = Modifiés
audit-field-via = Via
audit-field-max-endpoints = Points de terminaison autorisés
audit-field-deliveries-per-hour = Livraisons par heure
audit-field-retry-schedule = Calendrier des nouvelles tentatives
audit-field-timeout = Délai d’expiration
audit-field-retention = Conservation (jours)
audit-field-auto-disable-after = Tentatives échouées avant désactivation
audit-field-auto-disable-min-failing = Durée d’échec minimale avant désactivation
