"""A center's stage as of a date (derived in queries/macros.sql), in words."""

from __future__ import annotations

STAGE_LABELS = {
    "national": "国家级创新中心",
    "province": "省级创新中心",
    "city": "市级创新中心",
    "cultivation": "培育中",
    "revoked": "市级称号已撤销",
    "cancelled": "培育资格已取消",
    "applying": "申报中",
    "registered": "已登记（尚无申报、培育或认定事件）",
}
# Pipeline order, for sorting and funnels.
STAGE_ORDER = tuple(STAGE_LABELS)
