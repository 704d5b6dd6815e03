# The endpoints list: the plan's use, recent alerts, and each endpoint's state.

endpoints-add = Ajouter un point de terminaison
endpoints-move-to-larger-plan = Passer à une offre supérieure
endpoints-lead = Les URL qui reçoivent les événements de cette entreprise, signés, avec de nouvelles tentatives.
endpoints-loading = Chargement des points de terminaison…
endpoints-empty-title = Aucun point de terminaison pour l’instant
endpoints-empty-can-write = Ajoutez un point de terminaison : l’URL HTTPS de votre serveur qui doit recevoir les événements. Vous choisissez les événements qu’il reçoit, et vous pouvez lui envoyer un événement de test tout de suite.
endpoints-empty-read-only = Rien n’est encore configuré ici. Une personne disposant de l’accès en écriture peut ajouter un point de terminaison.

# Why events may not be arriving; each sentence ends with a time.
endpoints-paused = En pause
endpoints-paused-by-receiver = il a demandé d’attendre (Retry-After) ; prochaine tentative
endpoints-paused-after-failures =
    après { $count ->
        [one] { $count } tentative échouée
       *[other] { $count } tentatives échouées
    } d’affilée
endpoints-paused-failing-since = , en échec depuis
endpoints-paused-next-try = ; prochaine tentative
endpoints-failing = En échec
endpoints-failing-since = depuis
endpoints-waiting =
    { $count }{ $more } { $count ->
        [one] livraison en attente
       *[other] livraisons en attente
    }

endpoints-plan-usage = Utilisation de l’offre
endpoints-plan-name = Offre { $plan }
endpoints-usage-endpoints = { $used } sur { $limit } points de terminaison
endpoints-usage-deliveries = { $sent } sur { $limit } livraisons cette heure-ci
endpoints-usage-held =
    { $count ->
        [one] { $count } retenue par la limite de l’offre
       *[other] { $count } retenues par la limite de l’offre
    }
endpoints-usage-until = jusqu’à

endpoints-recent-alerts = Alertes récentes
endpoints-notice-endpoint-disabled = Point de terminaison désactivé
endpoints-notice-not-delivered = Non livré
