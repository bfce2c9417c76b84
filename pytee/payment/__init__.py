"""The TEE payment system of CN103942678A, outside the TEE (docs/payment.md).

- :mod:`pytee.payment.errors`: the exception family (:class:`PaymentError`).
- :mod:`pytee.payment.codec`: BCD amounts and dates, card expiry, Luhn.
- :mod:`pytee.payment.keys`: P-256 keys, ``r || s`` signatures, HPKE suites.
- :mod:`pytee.payment.wire`: the fixed byte layouts and the signed messages.
- :mod:`pytee.payment.tlv`, :mod:`pytee.payment.apdu`: BER-TLV and
  ISO 7816-4 APDUs; :mod:`pytee.payment.commands`: this protocol's APDUs.
- :mod:`pytee.payment.issuer`: the issuer and the acquirer.
- :mod:`pytee.payment.transport`, :mod:`pytee.payment.pos`: the POS terminal.
- :mod:`pytee.payment.ta_ids`, :mod:`pytee.payment.ta_client`: the payment
  TA's interface (mirror of ``payment_ta.h``) and its client.
- :mod:`pytee.payment.card`: the phone's CA, card side (APDUs to the TA);
  :mod:`pytee.payment.phone`: the wallet (enrolment, top-ups);
  :mod:`pytee.payment.ui`: its normal-world prompts and display copy.
- :mod:`pytee.payment.vpcd`, :mod:`pytee.payment.pcsc`,
  :mod:`pytee.payment.pcscd`: the PC/SC link (a virtual contactless card
  behind pcscd's vpcd, a pyscard POS).
- :mod:`pytee.payment.demo`: ``pytee pay demo``.
"""
