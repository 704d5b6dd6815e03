# Pieces every portal page shares: times, copy buttons, badges, the attempts table.

common-just-now = à l’instant
common-minutes-ago = il y a { $count } min
common-hours-ago = il y a { $count } h
common-days-ago =
    { $count ->
        [one] il y a 1 jour
       *[other] il y a { $count } jours
    }

common-copy = Copier
common-copied = Copié
common-copy-failed = Copie impossible : sélectionnez le texte et copiez-le

# The bars of an endpoint's last 24 hours, for screen readers and on hover.
common-sparkline-label =
    Dernières 24 heures : { $total ->
        [one] { $total } tentative
       *[other] { $total } tentatives
    }, { $failed } en échec
common-no-attempts-yet = Aucune tentative pour l’instant
common-enabled = Activé
common-disabled = Désactivé

common-no-response = Aucune réponse
common-succeeded = Réussie
common-failed = Échouée
common-duration-ms = { $ms } ms
common-manual = Manuelle
common-scheduled = Planifiée
common-details = Détails
common-replay = Renvoyer
common-replay-queued = Renvoi en file d’attente : il part maintenant.
common-col-message = Message
common-col-duration = Durée
common-col-trigger = Déclenchement
