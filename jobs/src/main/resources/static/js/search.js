// The province -> city -> county picker of the search form: three selects filled from
// /search/regions that write the chosen code prefix into the region field (which works without them).
(function () {
  'use strict';
  var field = document.getElementById('region');
  var picker = document.getElementById('region-picker');
  if (!field || !picker) {
    return;
  }
  var endpoint = field.getAttribute('data-regions');
  var labels = ['省 Province', '市 City', '县 County'];
  var selects = labels.map(function (label, level) {
    var select = document.createElement('select');
    select.id = 'region-' + ['province', 'city', 'county'][level];
    select.setAttribute('aria-label', label);
    select.hidden = level > 0;
    select.addEventListener('change', function () { chosen(level); });
    picker.appendChild(select);
    return select;
  });

  function fill(level, parent, selected) {
    var url = endpoint + (parent ? '?parent=' + encodeURIComponent(parent) : '');
    return fetch(url, { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (regions) {
      var select = selects[level];
      select.textContent = '';
      var any = document.createElement('option');
      any.value = '';
      any.textContent = labels[level];
      select.appendChild(any);
      regions.forEach(function (region) {
        var option = document.createElement('option');
        option.value = region.code;
        option.textContent = region.name;
        option.selected = region.code === selected;
        select.appendChild(option);
      });
      select.hidden = regions.length === 0;
    });
  }

  function clearBelow(level) {
    for (var i = level + 1; i < selects.length; i++) {
      selects[i].textContent = '';
      selects[i].hidden = true;
    }
  }

  function chosen(level) {
    var code = selects[level].value;
    clearBelow(level);
    field.value = code || (level > 0 ? selects[level - 1].value : '');
    if (code && level < 2) {
      fill(level + 1, code, null);
    }
  }

  // the region of the URL, chosen again
  var start = /^\d{2,6}$/.test(field.value) ? field.value : '';
  fill(0, null, start.substring(0, 2)).then(function () {
    if (start.length >= 4) {
      return fill(1, start.substring(0, 2), start.substring(0, 4));
    }
  }).then(function () {
    if (start.length === 6) {
      return fill(2, start.substring(0, 4), start);
    }
  });
}());
