// The portal's charts (templates/charts/*.html): each element with data-chart fetches its JSON from
// data-src (same origin) and is drawn with ECharts (served from the application's webjar).
// Text from the data is only ever given to ECharts as data or set with textContent, never as HTML.
(function () {
  'use strict';

  var COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9'];

  function status(el, text) {
    var note = document.getElementById(el.id + '-status');
    if (note) {
      note.textContent = text;
    }
  }

  function days(from, to) {
    var out = [];
    for (var d = new Date(from + 'T00:00:00Z'); d <= new Date(to + 'T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1)) {
      out.push(d.toISOString().substring(0, 10));
    }
    return out;
  }

  function byDate(rows) {
    var map = {};
    rows.forEach(function (r) { map[r.date] = r; });
    return map;
  }

  function percent(v) {
    return v == null ? null : Math.round(v * 1000) / 10;
  }

  var builders = {
    prices: function (data) {
      var axis = days(data.from, data.to);
      var band = byDate(data.days);
      var spread = byDate(data.spread);
      var pick = function (map, field) {
        return axis.map(function (d) { return map[d] ? map[d][field] : null; });
      };
      var min = pick(band, 'min');
      var max = pick(band, 'max');
      return {
        empty: data.days.length === 0 && data.spread.length === 0,
        option: {
          color: COLOURS,
          title: {text: data.name + ' ' + data.product, subtext: data.from + ' – ' + data.to, left: 'center'},
          tooltip: {trigger: 'axis'},
          axisPointer: {link: [{xAxisIndex: 'all'}]},
          legend: {top: 50, data: ['最低价 Lowest', '平均价 Average', '最高价 Highest', '价差 Spread (origin − wholesale)']},
          grid: [{left: 70, right: 40, top: 90, height: '45%'}, {left: 70, right: 40, top: '72%', height: '18%'}],
          xAxis: [{type: 'category', data: axis, gridIndex: 0, axisLabel: {show: false}},
            {type: 'category', data: axis, gridIndex: 1}],
          yAxis: [{type: 'value', name: '元/公斤 CNY/kg', gridIndex: 0, scale: true},
            {type: 'value', name: '价差 Spread, CNY/kg', gridIndex: 1}],
          dataZoom: [{type: 'slider', xAxisIndex: [0, 1], bottom: 0}],
          series: [
            // the band: the lowest price, and stacked on it the distance to the highest, shaded
            {name: 'band-base', type: 'line', data: min, stack: 'band', symbol: 'none', lineStyle: {opacity: 0},
              tooltip: {show: false}, silent: true, connectNulls: true},
            {name: 'band', type: 'line', stack: 'band', symbol: 'none', lineStyle: {opacity: 0}, tooltip: {show: false},
              silent: true, connectNulls: true, areaStyle: {color: 'rgba(0,114,178,0.15)'},
              data: axis.map(function (d, i) { return min[i] == null || max[i] == null ? null : max[i] - min[i]; })},
            {name: '最低价 Lowest', type: 'line', data: min, connectNulls: true, lineStyle: {type: 'dashed'}},
            {name: '平均价 Average', type: 'line', data: pick(band, 'avg'), connectNulls: true, lineStyle: {width: 3}},
            {name: '最高价 Highest', type: 'line', data: max, connectNulls: true, lineStyle: {type: 'dashed'}},
            {name: '价差 Spread (origin − wholesale)', type: 'bar', xAxisIndex: 1, yAxisIndex: 1, data: pick(spread, 'spread')}
          ]
        }
      };
    },

    deliveries: function (data, el) {
      var areas = data[el.getAttribute('data-level')];
      var halfDay = data.halfDayHours + ' h';
      var nextDay = data.nextDayHours + ' h';
      var target = function (hours, label) {
        return {yAxis: hours, name: label, label: {formatter: label, position: 'insideEndTop'}};
      };
      return {
        empty: areas.length === 0,
        note: el.getAttribute('data-level') === 'counties' && !data.countiesShown
          ? '仅显示包裹最多的区县 Only the counties with the most parcels are shown.' : '',
        option: {
          color: COLOURS,
          title: {text: data.name + ' ' + data.region, subtext: data.from + ' – ' + data.to, left: 'center'},
          tooltip: {trigger: 'axis'},
          legend: {top: 50},
          grid: {left: 60, right: 70, top: 90, bottom: 110},
          xAxis: {type: 'category', data: areas.map(function (a) { return a.name; }), axisLabel: {rotate: 35, interval: 0}},
          yAxis: [{type: 'value', name: '比率 Rate, %', min: 0, max: 100},
            {type: 'value', name: '小时 Hours', min: 0,
              // the next-day target line always in view, the top a multiple of 6 hours
              max: function (v) { return Math.ceil(Math.max(v.max, data.nextDayHours) * 1.1 / 6) * 6; }}],
          dataZoom: areas.length > 30 ? [{type: 'slider', bottom: 0}] : [],
          series: [
            {name: '半日达率 Half-day rate (≤ ' + halfDay + ', same city)', type: 'bar', barMaxWidth: 40,
              data: areas.map(function (a) { return percent(a.halfDayRate); })},
            {name: '次日达率 Next-day rate (≤ ' + nextDay + ', same province)', type: 'bar', barMaxWidth: 40,
              data: areas.map(function (a) { return percent(a.nextDayRate); })},
            {name: '中位时长 Median transit hours', type: 'scatter', yAxisIndex: 1,
              data: areas.map(function (a) { return a.transitHoursMedian; }),
              markLine: {symbol: 'none', lineStyle: {type: 'dashed'},
                data: [target(data.halfDayHours, '半日达目标 ' + halfDay + ' target'),
                  target(data.nextDayHours, '次日达目标 ' + nextDay + ' target')]}}
          ]
        }
      };
    },

    upbound: function (data) {
      var counties = data.top;
      return {
        empty: counties.length === 0,
        note: data.counties > counties.length
          ? '共 ' + data.counties + ' 个区县，显示包裹最多的 ' + counties.length + ' 个 Of ' + data.counties + ' counties, the '
            + counties.length + ' with the most parcels are shown.' : '',
        option: {
          color: COLOURS,
          title: {text: data.name + ' ' + data.region, subtext: data.from + ' – ' + data.to + ' · ' + data.total + ' 件 parcels',
            left: 'center'},
          tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}},
          legend: {top: 50, type: 'scroll'},
          grid: {left: 70, right: 30, top: 90, bottom: 120},
          xAxis: {type: 'category', data: counties.map(function (c) { return c.name + ' · ' + c.city; }),
            axisLabel: {rotate: 35, interval: 0}},
          yAxis: {type: 'value', name: '件 Parcels'},
          dataZoom: counties.length > 30 ? [{type: 'slider', bottom: 0}] : [],
          series: data.months.map(function (month, i) {
            return {name: month, type: 'bar', stack: 'months', barMaxWidth: 48, data: counties.map(function (c) { return c.parcels[i]; })};
          })
        }
      };
    }
  };

  function draw(el) {
    var build = builders[el.getAttribute('data-chart')];
    status(el, '加载中 Loading…');
    fetch(el.getAttribute('data-src'), {headers: {Accept: 'application/json'}, credentials: 'same-origin'})
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            throw new Error(body.error || response.statusText);
          }
          return body;
        });
      })
      .then(function (data) {
        var chart = build(data, el);
        if (data.published == null) {
          status(el, '尚无已发布的数据 No run has been published yet.');
        } else if (chart.empty) {
          status(el, '所选时段无数据 No data for the chosen period (latest published date ' + data.published + ').');
        } else {
          status(el, chart.note || '');
        }
        var instance = echarts.init(el);
        // drawn to the end, animations included: what a reader (or a screenshot) then sees is final
        instance.on('finished', function () { el.setAttribute('data-rendered', 'true'); });
        instance.setOption(chart.option);
        window.addEventListener('resize', function () { instance.resize(); });
      })
      .catch(function (error) {
        status(el, '无法加载图表 The chart could not be loaded: ' + error.message);
      });
  }

  document.addEventListener('DOMContentLoaded', function () {
    Array.prototype.forEach.call(document.querySelectorAll('[data-chart]'), draw);
  });
}());
