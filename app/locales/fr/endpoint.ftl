# One endpoint: its page, the form that adds or changes it, its signing secret, test events,
# resending what it missed, and its health. Also the form errors the services raise about its
# fields.

endpoint-crumb = point de terminaison
endpoint-add-title = Ajouter un point de terminaison
endpoint-edit-title = Modifier le point de terminaison
endpoint-create = Créer le point de terminaison
endpoint-save = Enregistrer les modifications
endpoint-cancel = Annuler

## The form's fields

endpoint-url = URL du point de terminaison
endpoint-url-help = Une URL HTTPS sur votre serveur. Les événements y sont envoyés en POST au format JSON, signés.
endpoint-rate-limit = Limite de débit
endpoint-rate-limit-placeholder = Aucune limite
endpoint-rate-limit-help = Le nombre maximal de livraisons envoyées par seconde à ce point de terminaison ; les suivantes attendent leur tour. Laissez vide pour ne fixer aucune limite.
endpoint-events = Événements
endpoint-all-events-later = Tous les événements, y compris ceux ajoutés plus tard
endpoint-no-event-types = Aucun type d’événement n’est encore défini : le point de terminaison reçoit tous les événements.

endpoint-custom-headers = En-têtes personnalisés
endpoint-headers-help = Envoyés avec chaque livraison à ce point de terminaison, par exemple un jeton attendu par votre serveur. La valeur d’un en-tête dont le nom évoque un identifiant secret n’est plus jamais affichée : laissez-la vide pour la conserver.
endpoint-header-name = Nom de l’en-tête
endpoint-header-value = Valeur
endpoint-header-unchanged = Inchangée (masquée)
endpoint-header-remove = Retirer
endpoint-header-remove-unnamed = Retirer cet en-tête
endpoint-header-remove-named = Retirer { $name }
endpoint-header-add = Ajouter un en-tête

## The endpoint's page

endpoint-settings = Paramètres
endpoint-copy-url = Copier l’URL du point de terminaison
endpoint-id = ID du point de terminaison
endpoint-copy-id = Copier l’ID du point de terminaison
endpoint-all-events = Tous les événements
endpoint-rate-per-second = { $rate } par seconde
endpoint-rate-limit-none = Aucune
endpoint-headers-none = Aucun
endpoint-header-hidden = masquée
endpoint-created = Créé le
endpoint-edit = Modifier
endpoint-enable = Activer
endpoint-disable = Désactiver
endpoint-delete = Supprimer
endpoint-delete-question = Supprimer ce point de terminaison ?
endpoint-delete-explained = Il cesse aussitôt de recevoir des événements. Son journal des livraisons est supprimé avec lui.
endpoint-delete-confirm = Supprimer le point de terminaison
endpoint-refresh = Actualiser
endpoint-loading-deliveries = Chargement des livraisons…

## The signing secret

endpoint-secret = Secret de signature
endpoint-secret-lead = Vérifiez chaque requête avec ce secret, pour être sûr qu’elle vient bien de nous.
endpoint-secret-write-only = Seules les personnes ayant un accès en écriture peuvent voir le secret.
endpoint-secret-rotated = Le secret a été renouvelé.
endpoint-copy-secret = Copier le secret de signature
endpoint-secret-copy-now = Copiez-le maintenant : il ne sera plus affiché.
endpoint-secret-shown-once = Le secret n’est affiché qu’une fois, à sa création. Renouvelez-le pour en obtenir un nouveau.
endpoint-secret-hide = Masquer le secret
endpoint-secret-reveal = Afficher le secret
endpoint-rotate-secret = Renouveler le secret
endpoint-rotate-question = Renouveler le secret de signature ?
endpoint-rotate-immediate = Un nouveau secret signe désormais chaque requête, et l’ancien cesse aussitôt de fonctionner.
endpoint-rotate-with-grace = Un nouveau secret signe désormais chaque requête. Pendant le délai de grâce, l’ancien les signe aussi, pour que vous puissiez mettre à jour votre serveur sans que les vérifications échouent.
endpoint-grace-period = Délai de grâce
endpoint-grace-none = Aucun : l’ancien secret cesse maintenant
endpoint-grace-1h = 1 heure
endpoint-grace-24h = 24 heures
endpoint-rotate-confirm = Confirmer le renouvellement
endpoint-verify = Comment vérifier une livraison
endpoint-copy-code = Copier le code { $language }

## Test events

endpoint-test-title = Envoyer un événement de test
endpoint-test-no-types = Il n’y a encore aucun type d’événement à envoyer.
endpoint-test-payload = Contenu
endpoint-test-payload-help = L’exemple du type d’événement : modifiez-le pour essayer votre point de terminaison avec d’autres valeurs. Il est envoyé à ce point de terminaison uniquement, marqué comme test.
endpoint-test-send = Envoyer l’événement de test
endpoint-test-sent = Événement de test envoyé :
endpoint-copy-message-id = Copier l’ID du message

## Sending what it missed

endpoint-missed-title = Envoyer ce qu’il a manqué
endpoint-missed-help = Envoie à ce point de terminaison chaque événement qu’il n’a pas reçu depuis le moment choisi : les livraisons qui ont échoué, et celles ignorées qu’il accepterait aujourd’hui (pendant qu’il était désactivé, ou par un filtre qui les laisse désormais passer). Rien de ce qu’il a déjà reçu n’est renvoyé.
endpoint-missed-since = Depuis
endpoint-missed-local-time = (votre heure locale)
endpoint-missed-utc = (UTC)
endpoint-missed-count = Compter ce qu’il a manqué
endpoint-missed-counting = Comptage…
endpoint-missed-waiting = { $count ->
        [one] { $count } livraison attend déjà derrière ce point de terminaison : elle partira sans cette action.
       *[other] { $count } livraisons attendent déjà derrière ce point de terminaison : elles partiront sans cette action.
    }
endpoint-missed-waiting-more = { $count ->
        [one] Plus de { $count } livraison attend déjà derrière ce point de terminaison : elle partira sans cette action.
       *[other] Plus de { $count } livraisons attendent déjà derrière ce point de terminaison : elles partiront sans cette action.
    }
endpoint-missed-disabled = Ce point de terminaison est désactivé. Activez-le d’abord : ce qui l’attend partira alors. Envoyez ensuite ce qu’il a encore manqué.
endpoint-missed-nothing = Rien à envoyer : depuis ce moment, chaque livraison à ce point de terminaison a été livrée, est en cours, ou a été ignorée pour une raison toujours valable.
endpoint-missed-summary = { $count ->
        [one] Cela enverra { $count } livraison (échecs : { $failed }, ignorées : { $skipped }).
       *[other] Cela enverra { $count } livraisons (échecs : { $failed }, ignorées : { $skipped }).
    }
endpoint-missed-summary-at-least = { $count ->
        [one] Cela enverra au moins { $count } livraison (échecs : { $failed }, ignorées : { $skipped }).
       *[other] Cela enverra au moins { $count } livraisons (échecs : { $failed }, ignorées : { $skipped }).
    }
endpoint-missed-send-all = Tout envoyer
endpoint-missed-send = { $count ->
        [one] Envoyer { $count } livraison
       *[other] Envoyer { $count } livraisons
    }
endpoint-missed-queued = { $count ->
        [one] { $count } livraison mise en file : elle partira dès que le point de terminaison pourra la recevoir.
       *[other] { $count } livraisons mises en file : elles partiront dès que le point de terminaison pourra les recevoir.
    }

## Health

endpoint-health = Santé
endpoint-health-24h = 24 heures
endpoint-health-7d = 7 jours
endpoint-health-success-rate = Taux de réussite
endpoint-health-delivered = Livrées
endpoint-health-delivered-count = { $count } ({ $first } dès le premier essai)
endpoint-health-failed = En échec après toutes les reprises
endpoint-health-tries = Essais (en échec)
endpoint-health-response-time = Temps de réponse
endpoint-health-no-tries = aucun essai
endpoint-health-help = Le taux de réussite compte les livraisons, pas les essais : un événement arrivé après une reprise est une réussite.
endpoint-health-last-success = Dernière réussite :
endpoint-health-no-success = aucune au cours des 7 derniers jours
# A response time, as the upper bound of its bucket.
endpoint-latency-ms = ≤ { $ms } ms
endpoint-latency-s = ≤ { $seconds } s
endpoint-latency-over = > { $seconds } s

## What the server refuses

endpoint-plan-limit = L’offre { $plan } autorise { $max ->
        [one] { $max } point de terminaison
       *[other] { $max } points de terminaison
    }, et cette application en a { $used } : supprimez-en un ou passez à une offre supérieure
endpoint-error-rate-limit = Saisissez un nombre entier de livraisons par seconde, de 1 à 65535, ou laissez vide pour ne fixer aucune limite.
endpoint-error-header-no-name = Un en-tête personnalisé a une valeur mais pas de nom : nommez-le, ou effacez sa valeur.
endpoint-error-header-twice = L’en-tête personnalisé { $name } figure deux fois : n’en gardez qu’un.
endpoint-error-header-no-value = L’en-tête personnalisé { $name } doit avoir une valeur.
# $reason is the JSON parser's own words, or endpoint-error-payload-eof.
endpoint-error-payload-json = Le contenu n’est pas du JSON valide : { $reason } (ligne { $line }, colonne { $column }).
endpoint-error-payload-eof = il se termine trop tôt
endpoint-error-payload-object = Le contenu doit être un objet JSON, entre {"{"} et {"}"}.
endpoint-error-no-events = Choisissez au moins un événement, une catégorie entière, ou tous les événements.
endpoint-error-secret-shown = Ce secret a été affiché une fois, à sa création. Renouvelez-le pour en obtenir un nouveau.
endpoint-error-grace = Délai de grâce : choisissez l’une des options.
endpoint-error-test-disabled = Ce point de terminaison est désactivé : activez-le avant d’envoyer un événement de test.
endpoint-error-test-event-type = Type d’événement : choisissez-en un dans la liste.

## The services' validation messages about a field, as sentences

endpoint-invalid-the-url = L’URL
endpoint-invalid-the-description = La description
endpoint-invalid-the-rate-limit = La limite de débit
endpoint-invalid-the-events = Les événements
endpoint-invalid-the-headers = Les en-têtes personnalisés
endpoint-invalid-the-payload = Le contenu
endpoint-invalid-url-empty = Saisissez l’adresse de votre point de terminaison.
endpoint-invalid-url-example = Saisissez une adresse complète, comme https://example.com/webhooks.
endpoint-invalid-url-https = Utilisez une adresse qui commence par https://.
endpoint-invalid-url-credentials = L’URL ne doit contenir ni nom d’utilisateur ni mot de passe ; utilisez les en-têtes du point de terminaison pour les identifiants.
endpoint-invalid-too-long = { $field } : { $max } caractères au maximum.
endpoint-invalid-too-large = { $field } : { $max } octets au maximum.
# $problem is the service's own words, for a rule this file does not name.
endpoint-invalid-must = { $field } : { $problem }.
endpoint-invalid-other = { $problem }.
endpoint-invalid-header-reserved = L’en-tête personnalisé { $name } est défini par Herald et ne peut pas être remplacé.
endpoint-invalid-header-name = Le nom de l’en-tête personnalisé { $name } n’est pas valide.
endpoint-invalid-header-other = En-tête personnalisé { $problem }.
endpoint-invalid-header-value = La valeur de « { $name } » n’est pas une valeur d’en-tête valide.
endpoint-invalid-too-many-headers = { $max } en-têtes au maximum.
endpoint-invalid-too-many-event-types = { $max } types d’événements au maximum.
endpoint-invalid-event-type-name = « { $name } » n’est pas un nom de type d’événement valide.
endpoint-invalid-unknown-event-types = Type(s) d’événement inconnu(s) : { $names }.
endpoint-invalid-points-to = L’URL pointe vers { $reason } ({ $ip }), que les points de terminaison ne peuvent pas utiliser.
endpoint-invalid-host-is = L’hôte de l’URL est { $reason }, que les points de terminaison ne peuvent pas utiliser.
endpoint-invalid-resolves-to = L’hôte de l’URL se résout en { $reason } ({ $ip }), que les points de terminaison ne peuvent pas utiliser.
endpoint-reason-cloud-metadata = une adresse de métadonnées cloud
endpoint-reason-loopback = une adresse de bouclage
endpoint-reason-private = une adresse de réseau privé
endpoint-reason-link-local = une adresse lien-local
endpoint-reason-cgnat = une adresse de NAT opérateur (CGNAT)
endpoint-reason-reserved = une adresse réservée
endpoint-reason-multicast = une adresse multicast
endpoint-reason-benchmarking = une adresse de réseau de test de performances
endpoint-reason-ietf = une adresse réservée aux protocoles de l’IETF
endpoint-reason-unspecified = une adresse non spécifiée
endpoint-reason-unique-local = une adresse privée (unique locale)
endpoint-reason-loopback-name = un nom d’hôte de bouclage
endpoint-reason-metadata-name = un nom d’hôte de métadonnées cloud
