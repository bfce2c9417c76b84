"""The TEE payment system of CN103942678A, outside the TEE (docs/payment.md).

- :mod:`pytee.payment.errors`: the exception family (:class:`PaymentError`).
- :mod:`pytee.payment.codec`: BCD amounts and dates, card expiry, Luhn.
- :mod:`pytee.payment.keys`: P-256 keys, ``r || s`` signatures, HPKE suites.
- :mod:`pytee.payment.wire`: the fixed byte layouts and the signed messages.
- :mod:`pytee.payment.tlv`, :mod:`pytee.payment.apdu`: BER-TLV and
  ISO 7816-4 APDUs; :mod:`pytee.payment.commands`: this protocol's APDUs.
- :mod:`pytee.payment.issuer`: the issuer and the acquirer.
- :mod:`pytee.payment.transport`, :mod:`pytee.payment.pos`: the POS terminal.
"""
