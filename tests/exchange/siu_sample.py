"""SIU messages as a hospital's patient administration system sends them (HL7 v2.5),
for the parser's, the listener's and the benchmark's tests. Test data: not real people."""

from __future__ import annotations

DEFAULTS = {
    "family": "Zebedee-Quill",
    "given": "Winifred",
    "birth": "19500303",
    "ids": "9434765919^^^NHS^NH~RX1-000123^^^RX1^MR",
    "postcode": "LS1 4AP",
    "ethnic": "A",
    "clinic": "Heart clinic",
    "location": "",  # the whole of AIL-3 when given; else point of care CARD1 and the clinic
    "sender": "PAS",
}


def siu(trigger: str, control_id: str, appointment_id: str, start: str, **fields: str) -> str:
    """One SIU^``trigger`` message; ``start`` YYYYMMDDHHMM; ``fields`` override DEFAULTS
    (``"drop"`` names a segment to leave out)."""
    v = {**DEFAULTS, **fields}
    location = v["location"] or f"CARD1^^^RX1^^^^^{v['clinic']}"
    segments = {
        "MSH": f"MSH|^~\\&|{v['sender']}|RX1|WHAT-MATTERS|CLINIC|20261207091500||"
        f"SIU^{trigger}^SIU_S12|{control_id}|P|2.5",
        "SCH": f"SCH|P-{appointment_id}^PAS|{appointment_id}^PAS|||||ROUTINE||30|MIN|^^30^{start}",
        "PID": f"PID|1||{v['ids']}||{v['family']}^{v['given']}||{v['birth']}|F|||"
        f"1 High Street^^Leeds^^{v['postcode']}^GBR|||||||||||{v['ethnic']}",
        "RGS": "RGS|1|A",
        "AIL": f"AIL|1|A|{location}|||{start}",
    }
    drop = fields.get("drop", "")
    return "\r".join(text for name, text in segments.items() if name != drop) + "\r"
