# The operator console (/admin): system health, tenants and their branding, plans, the event
# catalogue, API keys and the deployment's audit trail. Also the errors its forms raise.

console-page-title = Console d’exploitation · Herald
console-title = Console d’exploitation
console-nav = Console
console-health = État
console-tenants = Locataires
console-plans = Offres
console-keys = Clés d’API
console-save = Enregistrer
console-field-name = Nom

## System health

console-health-title = État du système
console-queue-depth = Profondeur de la file
console-queue-depth-value = { $waiting } en attente (dont { $due } à envoyer maintenant)
console-deliveries-per-minute = Livraisons par minute
console-failure-rate = Taux d’échec (dernière heure)
console-failure-rate-value =
    { $rate } sur { $attempts ->
        [one] { $attempts } tentative
       *[other] { $attempts } tentatives
    }
console-oldest-due = Plus ancienne livraison due
console-none-waiting = aucune en attente
console-held = Retenues par les limites des offres
console-contract = Contrat de livraison
console-retries = Nouvelles tentatives
# Built on the server from the deployment's settings; $delays is a list such as "5m, 30m, 2h".
console-retries-line =
    { $delays } (±{ $jitter } %), { $timeout } s pour répondre, points de terminaison désactivés après { $failures ->
        [one] { $failures } échec
       *[other] { $failures } échecs
    } d’affilée ; l’offre d’une entreprise remplace ces valeurs
# A sentence around a link to the operational application.
console-operational-before = Les webhooks opérationnels (point de terminaison désactivé, nouvelles tentatives épuisées) sont envoyés aux points de terminaison de
console-operational-link = l’application opérationnelle
console-operational-after = ; ajoutez-en un pour en être informé.

# Who uses the send slots.
console-slots-title = Créneaux d’envoi
console-slots-summary =
    { $count ->
        [one] { $count } envoi en cours
       *[other] { $count } envois en cours
    } sur { $instances ->
        [one] 1 instance
       *[other] { $instances } instances
    }, chacune avec { $slots } créneaux d’envoi ; sur chaque instance, une entreprise peut en occuper jusqu’à { $company }, et un point de terminaison jusqu’à { $endpoint }.
console-slots-by-company = Créneaux d’envoi par entreprise
console-more-companies =
    { $count ->
        [one] et { $count } autre entreprise
       *[other] et { $count } autres entreprises
    }
console-nothing-sending = Rien n’est en cours d’envoi.

# Endpoints holding deliveries back, and why.
console-held-back-title = Points de terminaison qui retiennent des livraisons
console-held-back-empty = Aucun point de terminaison n’est en échec, en pause ou désactivé avec des livraisons en attente.
console-more-endpoints =
    { $count ->
        [one] et { $count } autre
       *[other] et { $count } autres
    }
console-company-disabled = Entreprise désactivée
console-paused = En pause
console-failing = En échec
console-paused-by-receiver = il a demandé d’attendre (Retry-After)
console-failures-in-a-row =
    { $count ->
        [one] { $count } tentative échouée d’affilée
       *[other] { $count } tentatives échouées d’affilée
    }
console-paused-after-failures =
    après { $count ->
        [one] { $count } tentative échouée d’affilée
       *[other] { $count } tentatives échouées d’affilée
    }

## Tenants

console-search = Rechercher
console-search-placeholder = nom, uid ou id
console-branding-saved = Personnalisation enregistrée.
console-no-tenants = Aucun locataire ne correspond
console-plan-of = Offre de { $name }
console-no-plan = Aucune offre (sans limites)
console-tenant-usage =
    { $endpoints ->
        [one] { $endpoints } point de terminaison
       *[other] { $endpoints } points de terminaison
    } · { $sent ->
        [one] { $sent } envoyé cette heure-ci
       *[other] { $sent } envoyés cette heure-ci
    }
console-held-count =
    { $count ->
        [one] { $count } retenue
       *[other] { $count } retenues
    }
console-active = Actif
console-enable-tenant = Activer { $name }
console-disable-tenant = Désactiver { $name }
console-disable-tenant-question = Désactiver { $name } ? Ses appels à l’API sont refusés et rien n’est livré tant que vous ne l’avez pas réactivé ; ce qu’il a envoyé attend.
console-disable-tenant-confirm = Oui, désactiver { $name }

# A tenant's portal branding.
console-branding-of = Personnalisation de { $name }
console-brand-product-name = Nom du produit
console-brand-logo-url = URL du logo
console-brand-accent = Couleur d’accent
console-brand-upgrade = Page de changement d’offre
console-brand-theme = Thème
console-brand-theme-deployment = Celui du déploiement
console-brand-theme-light = Clair
console-brand-theme-dark = Sombre
console-brand-theme-auto = Automatique (selon le système de l’utilisateur)
console-brand-save = Enregistrer la personnalisation

# A refused branding field: its name, then what is wrong with it.
console-brand-problem = { $field } : { $problem }.
console-brand-logo = Logo
console-brand-theme-invalid = Thème : choisissez clair, sombre ou automatique.
console-brand-too-long =
    doit comporter au plus { $max ->
        [one] { $max } caractère
       *[other] { $max } caractères
    }
console-brand-control-chars = ne doit pas contenir de caractères de contrôle
console-brand-hex = doit être une couleur en hexadécimal, comme #0a7c59 ou #0a5
console-brand-upgrade-https = doit être une adresse qui commence par https://
console-brand-logo-too-big = un logo intégré ne doit pas dépasser { $kb } Ko ; donnez plutôt un lien vers l’image
console-brand-logo-base64 = l’image intégrée n’est pas en base64 valide
console-brand-logo-type = un logo intégré doit être une image PNG, JPEG, GIF, WebP ou SVG en base64
console-brand-logo-https = doit être une adresse https:// (ou une URL data:image/…;base64)
console-brand-logo-host = doit indiquer un hôte, sans utilisateur ni mot de passe
console-brand-logo-chars = ne doit pas contenir d’espaces, de guillemets ni de chevrons

## Plans

console-plans-lead = Ce que peut faire chaque locataire d’une offre. Les modifications s’appliquent immédiatement, y compris aux livraisons retenues.
console-plan-saved = Offre enregistrée.
console-new-plan = Nouvelle offre
console-plan-max-endpoints = Points de terminaison (maximum)
console-plan-deliveries-per-hour = Livraisons par heure
console-plan-retry-schedule = Calendrier des nouvelles tentatives
console-plan-timeout-seconds = Délai de réponse (secondes)
console-plan-retention-days = Conservation (jours)
console-plan-auto-disable-failures = Désactivation automatique après (échecs)
console-plan-min-failing = …et en échec depuis au moins
console-plan-min-failing-placeholder = celle du déploiement
console-plan-min-failing-help = 30m, 24h, 2d ; 30d au plus. Vide : la valeur du déploiement.
console-create-plan = Créer l’offre
console-save-plan = Enregistrer { $name }

# A refused plan form. The field names are shorter than the labels.
console-error-whole-number = { $field } : saisissez un nombre entier
console-plan-timeout = Délai de réponse
console-plan-retention = Conservation
console-plan-auto-disable = Désactivation automatique après
console-error-min-failing = Durée minimale en échec : saisissez un délai comme 0s, 30m, 24h ou 2d, ou rien pour la valeur du déploiement

## Event catalogue

console-event-types = Types d’événements
console-archived = Archivé
console-archive = Archiver { $name }
console-restore = Restaurer { $name }
console-event-type-form = Créer ou modifier un type d’événement
console-field-category = Catégorie
console-field-description = Description
console-save-event-type = Enregistrer le type d’événement
console-import-title = Importer un fichier de catalogue
console-catalogue-json = JSON du catalogue
console-import = Importer
console-imported =
    Importé : { $created ->
        [one] { $created } créé
       *[other] { $created } créés
    }, { $updated } mis à jour.
console-export = Exporter
console-download-catalogue = Télécharger catalogue.json
console-catalogue-file = Fichier du catalogue

## API keys

console-keys-lead = Les clés de l’API REST. Une clé n’est affichée qu’une fois, à sa création ; seule son empreinte est conservée.
console-create-key-title = Créer une clé
console-key-name-placeholder = backend de facturation
console-create-key = Créer la clé
console-key-copy-now = Copiez-la maintenant : elle ne sera plus affichée.
console-copy-key = Copier la clé d’API
console-revoked = Révoquée
console-revoke-key = Révoquer { $name }
console-revoke-key-question = Révoquer { $name } ? Tout appel fait avec elle est refusé dès maintenant ; c’est irréversible.
console-revoke-key-confirm = Oui, révoquer { $name }

## Audit trail

console-audit-lead = Chaque modification, dans chaque entreprise et dans le déploiement.
console-audit-empty = Aucune modification pour l’instant
console-pages = Pages
console-older-changes = Modifications plus anciennes
