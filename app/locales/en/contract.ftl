# The delivery contract in one line (the console's health page).

contract-preset = { $preset } preset: { $parts }
contract-signatures = { $name } signatures
contract-secrets = { $name } secrets
contract-envelope = { $name } envelope
contract-event-header = event in { $name }
contract-delivery-id-header = delivery id in { $name }
contract-user-agent = User-Agent { $name }
contract-secrets-shown-once = secrets shown once
# Between the items of a list written in a sentence; the spaces are in the quotes.
list-separator = {", "}
