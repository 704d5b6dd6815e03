# The team page (members, their permissions, invites), the page an invite link opens, and the
# invitation e-mail.

team-lead = Who may sign in to this company's webhooks, and what each may do.
team-users = Users
team-permission-of = Permission of { $email }
team-you = (you)
team-save = Save
team-remove = Remove { $email }
team-remove-question = Remove { $email } from the team? They lose access to this company's webhooks at once.
team-remove-confirm = Yes, remove { $email }

# The permissions, as the menus and the tables name them.
team-permission-admin = Admin
team-permission-write = Read and write
team-permission-read = Read only

## Invites

team-invited = Invited
team-invited-by = invited by { $name }
# Who sent an invite made from a portal link.
team-host-product = the host product
# Followed by a date and time.
team-link-valid-until = link valid until
team-invite-title = Invite someone
team-create-invite-link = Create invite link
team-invite-emailed = Invitation emailed. The link works once, for 7 days; here it is too, shown only now.
team-invite-link-shown = Send this link to them. It works once, for 7 days, and is shown only now.
team-copy-invite-link = Copy the invite link

## The page an invite link opens

team-invitation-title = Invitation · Herald
team-invite-unusable-title = This invite cannot be used
team-invite-unusable = It was used already, or it expired. Ask the person who invited you for a new one.
team-invite-join-title = Join { $company }
# `permission` in lower case ("read and write").
team-invite-as = You are invited as { $email } ({ $permission }).
team-invite-your-password = Your password
team-invite-has-account = You already have an account: enter its password to join.
team-invite-choose-password = Choose a password
team-invite-password-rule = At least 10 characters.
team-invite-join = Join

## The invitation e-mail (plain text; the link goes on a line of its own after team-mail-open)

team-mail-subject = Join { $company } on Herald
team-mail-invited = { $by } invited you to manage { $company }'s webhooks ({ $permission }).
team-mail-open = Open this link to join. It works once, within 7 days:
team-mail-unexpected = If you did not expect this, ignore this email.
