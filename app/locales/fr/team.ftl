# The team page (members, their permissions, invites), the page an invite link opens, and the
# invitation e-mail.

team-lead = Qui peut se connecter aux webhooks de cette entreprise, et ce que chacun peut faire.
team-users = Utilisateurs
team-permission-of = Autorisation de { $email }
team-you = (vous)
team-save = Enregistrer
team-remove = Retirer { $email }
team-remove-question = Retirer { $email } de l’équipe ? Cette personne perd aussitôt l’accès aux webhooks de cette entreprise.
team-remove-confirm = Oui, retirer { $email }

# The permissions, as the menus and the tables name them.
team-permission-admin = Administrateur
team-permission-write = Lecture et écriture
team-permission-read = Lecture seule

## Invites

team-invited = Invités
team-invited-by = invité par { $name }
# Who sent an invite made from a portal link.
team-host-product = le produit hôte
# Followed by a date and time.
team-link-valid-until = lien valable jusqu’au
team-invite-title = Inviter quelqu’un
team-create-invite-link = Créer un lien d’invitation
team-invite-emailed = Invitation envoyée par e-mail. Le lien fonctionne une seule fois, pendant 7 jours ; le voici aussi, affiché uniquement maintenant.
team-invite-link-shown = Envoyez-lui ce lien. Il fonctionne une seule fois, pendant 7 jours, et n’est affiché que maintenant.
team-copy-invite-link = Copier le lien d’invitation

## The page an invite link opens

team-invitation-title = Invitation · Herald
team-invite-unusable-title = Cette invitation ne peut pas être utilisée
team-invite-unusable = Elle a déjà été utilisée, ou elle a expiré. Demandez-en une nouvelle à la personne qui vous a invité.
team-invite-join-title = Rejoindre { $company }
# `permission` in lower case ("read and write").
team-invite-as = Vous êtes invité en tant que { $email } (autorisation : { $permission }).
team-invite-your-password = Votre mot de passe
team-invite-has-account = Vous avez déjà un compte : saisissez son mot de passe pour rejoindre l’entreprise.
team-invite-choose-password = Choisissez un mot de passe
team-invite-password-rule = Au moins 10 caractères.
team-invite-join = Rejoindre

## The invitation e-mail (plain text; the link goes on a line of its own after team-mail-open)

team-mail-subject = Rejoignez { $company } sur Herald
team-mail-invited = Vous êtes invité par { $by } à gérer les webhooks de { $company } ({ $permission }).
team-mail-open = Ouvrez ce lien pour les rejoindre. Il fonctionne une seule fois, dans les 7 jours :
team-mail-unexpected = Si vous ne vous attendiez pas à cet e-mail, ignorez-le.
