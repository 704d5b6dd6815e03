# One message: what was sent, where it goes, and every try.

message-title = Message
message-crumb = message
message-test-lead = Un événement de test, envoyé depuis ce portail pour essayer le point de terminaison.
message-event-id = Id de l’événement
message-none-given = aucun fourni
message-received = Reçu
message-payload = Charge utile
message-payload-test-help = Exactement tel qu’il a été envoyé.
message-payload-help = Exactement tel que votre produit l’a envoyé.
message-no-tries = Aucune tentative pour l’instant.

# A delivery's state in a sentence, under its badge (here and in the delivery log).
message-detail-delivered-first = livrée dès la première tentative
message-detail-delivered = livrée à la tentative { $try }
message-detail-sending = envoi en cours, tentative { $try } sur { $of }
message-detail-queued = en file pour sa première tentative
message-detail-retrying = la tentative { $failed } a échoué ; la tentative { $try } sur { $of } est planifiée
message-detail-waiting-endpoint-disabled = en attente : le point de terminaison est désactivé ; l’envoi partira quand il sera réactivé
message-detail-waiting-company-disabled = en attente : l’entreprise est désactivée ; l’envoi partira quand elle sera réactivée
message-detail-waiting-retry-after = en attente : le point de terminaison a demandé d’attendre (Retry-After)
message-detail-waiting-failing = en attente : le point de terminaison est en échec ; l’envoi partira quand une sonde réussira
message-detail-waiting-busy = en attente d’un créneau d’envoi libre
message-detail-held = retenue par la limite horaire de l’offre
message-detail-skipped-because = ignorée : { $reason }
message-detail-skipped = ignorée
message-detail-failed = { $tries ->
    [one] échouée après { $tries } tentative
   *[other] échouée après { $tries } tentatives
}

# Why a delivery was skipped, after "skipped: ".
message-skip-filtered-out = son type d’événement ne figure pas dans le filtre du point de terminaison
message-skip-channel-filtered-out = aucun de ses canaux ne figure dans le filtre du point de terminaison
message-skip-filter-unreadable = le filtre de types d’événements du point de terminaison n’a pas pu être lu
message-skip-channel-filter-unreadable = le filtre de canaux du point de terminaison n’a pas pu être lu
message-skip-expunged = son contenu a été purgé
message-skip-no-secret = le point de terminaison n’avait pas de secret de signature
message-skip-endpoint-disabled = le point de terminaison était désactivé

# Refusals of an id or event id ($field: the field's label).
message-error-empty = { $field } : ne doit pas être vide
message-error-too-long = { $field } : { $max } caractères au maximum
message-error-charset = { $field } : seuls les lettres, les chiffres, « - », « _ » et « . » sont acceptés
