# The delivery log, its filters and pages, and one delivery attempt.

log-lead = Chaque événement envoyé à chacun des points de terminaison de cette entreprise, dans son état : livré, en route, en attente, ignoré (et pourquoi), ou en échec.
log-find-aria = Trouver un message
log-find-field = Id du message ou de l’événement
log-find-placeholder = msg_… ou votre id d’événement
log-find = Trouver
log-held = Retenu par la limite de l’offre
log-held-help = Ces événements ont atteint la limite horaire de l’offre de l’entreprise. Ils ne sont pas perdus : chacun est envoyé, dans l’ordre, dès que l’heure suivante le permet, ou immédiatement si l’offre change.

# The filter form.
log-filters = Filtres
log-filter-all = Tous
log-filter-from = Du
log-filter-to = Au
log-field-since = Depuis
log-zone-local = (votre heure locale)
log-zone-utc = (UTC)
log-filter = Filtrer

# A delivery's state, on its badge and in the state filter.
log-state-delivered = Livrée
log-state-in-progress = En cours
log-state-sending = Envoi en cours
log-state-queued = En file d’attente
log-state-retrying = Nouvelle tentative prévue
log-state-waiting = En attente
log-state-held = Retenue
log-state-skipped = Ignorée
log-state-failed = Échouée

# The table of deliveries.
log-deliveries = Livraisons
log-empty-heading = Aucune livraison
log-empty-filtered = Rien ne correspond à ces filtres sur cette page du journal.
log-empty = Les événements apparaissent ici dès leur envoi ; envoyez un événement de test depuis la page d’un point de terminaison.
log-test = Test
log-test-title = Envoyé depuis ce portail pour essayer le point de terminaison
log-tries-of = { $tries } sur { $max }
log-no-response = pas de réponse
log-enable-endpoint = Activer le point de terminaison
log-send-now = Envoyer maintenant
log-send-again = Renvoyer
log-queued = Mis en file : l’envoi part maintenant. Rechargez la page pour le suivre.
log-pages = Pages
log-newest = Les plus récents
log-newer = Plus récents
log-older = Plus anciens

# One delivery attempt.
log-attempt-title = Tentative de livraison
log-crumb-attempt = tentative
log-attempt-heading = Tentative
log-fact-message = Message
log-fact-result = Résultat
log-result-succeeded = Réussie
log-result-failed = Échouée
log-result-no-response = Pas de réponse
log-fact-duration = Durée
log-duration-ms = { $ms } ms
log-fact-trigger = Déclenchement
log-trigger-manual = Manuel
log-trigger-scheduled = Planifié
log-fact-error = Erreur
log-request = Requête
log-response = Réponse
log-response-status = Statut :
log-headers = En-têtes
log-body = Corps
log-copy-request-headers = Copier les en-têtes de la requête
log-copy-request-body = Copier le corps de la requête
log-copy-response-body = Copier le corps de la réponse
log-response-truncated = La réponse était plus longue : seuls ses 64 premiers Kio sont conservés.
log-body-exact = { $bytes ->
    [one] Exactement { $bytes } octet envoyé.
   *[other] Exactement les { $bytes } octets envoyés.
}
log-body-expunged = Le contenu du message a été supprimé (purgé), et avec lui le corps envoyé.
log-body-not-recorded = Non enregistré : cette tentative n’a rien envoyé, ou elle a eu lieu avant que Herald ne conserve le corps exact envoyé. La charge utile telle que reçue est affichée ; le corps envoyé a pu l’envelopper.
log-expunged = (purgé)
log-verify-summary = Comment vérifier cette signature
log-verify-help = Calculez-la sur le corps exactement tel qu’il apparaît ci-dessus, en octets : copiez-le plutôt que de le ressaisir ou de le reformater (analyser puis réécrire le JSON change l’ordre des clés et des nombres comme 10.50). L’horodatage et l’id figurent dans les en-têtes. Un secret renouvelé depuis cette tentative donne une autre signature.

# Refusals of the log's filters (and of the "since" of sending what an endpoint missed).
log-error-date-time = { $field } : saisissez une date et une heure.
log-error-time-zone = Fuseau horaire : ce n’est pas un décalage UTC.
log-error-state = État : choisissez l’une des options.
log-error-page = Page : ce n’est pas un emplacement de ce journal.
log-error-to-before-from = Au : doit être postérieur à « Du ».
