// Letopis page scripts: charts and maps drawn with the vendored ECharts from the API's JSON.
// Nothing here builds HTML from data: tooltips render as canvas text (renderMode "richText").
"use strict";

(function () {
  var worldMap = null;

  function loadWorld() {
    if (!worldMap) {
      worldMap = fetch("/static/vendor/countries-110m.json")
        .then(function (r) { return r.json(); })
        .then(function (topo) {
          var geo = window.topojson.feature(topo, topo.objects.countries);
          window.echarts.registerMap("world", geo);
        });
    }
    return worldMap;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }

  function chart(element) {
    return window.echarts.init(element, null, { renderer: "canvas" });
  }

  // data-ready is set once the chart has finished drawing (animations included), so that a
  // click on a bar lands on the bar.
  function markReady(element, drawn) {
    drawn.on("finished", function () { element.setAttribute("data-ready", "1"); });
  }

  function go(params) {
    var url = new URL(window.location.href);
    url.searchParams.delete("cursor");
    Object.keys(params).forEach(function (k) {
      if (params[k]) { url.searchParams.set(k, params[k]); } else { url.searchParams.delete(k); }
    });
    window.location.assign(url.toString());
  }

  function timeline(element) {
    getJSON(element.dataset.api + "&period=day").then(function (stats) {
      var periods = Array.from(new Set(stats.buckets.map(function (b) { return b.period; }))).sort();
      var types = Object.keys(stats.by_type);
      var counts = {};
      stats.buckets.forEach(function (b) {
        var key = b.type + "|" + b.period;
        counts[key] = (counts[key] || 0) + b.events;
      });
      var series = types.map(function (t) {
        return {
          name: t, type: "bar", stack: "all",
          data: periods.map(function (p) { return counts[t + "|" + p] || 0; })
        };
      });
      var c = chart(element);
      markReady(element, c);
      c.setOption({
        tooltip: { trigger: "item", renderMode: "richText" },
        legend: { type: "scroll", top: 0 },
        grid: { left: 40, right: 10, top: 40, bottom: 50 },
        dataZoom: [{ type: "inside" }, { type: "slider", height: 14, bottom: 8 }],
        xAxis: { type: "category", data: periods },
        yAxis: { type: "value", minInterval: 1 },
        series: series
      });
      c.on("click", function (p) { go({ from: p.name, to: p.name, type: p.seriesName }); });
    });
  }

  function points(features) {
    return features.map(function (f) {
      return {
        name: (f.properties.type || "") + " " + (f.properties.place || ""),
        value: f.geometry.coordinates.concat([f.properties.articles || 1]),
        id: f.properties.id
      };
    });
  }

  function worldOption(data) {
    return {
      tooltip: { trigger: "item", renderMode: "richText" },
      geo: { map: "world", roam: true, itemStyle: { areaColor: "#e9ecef", borderColor: "#aab" },
             emphasis: { disabled: true } },
      series: [{
        type: "scatter", coordinateSystem: "geo", data: data,
        symbolSize: function (v) { return Math.min(24, 5 + 2 * Math.sqrt(v[2] || 1)); },
        itemStyle: { color: "#c4314b", opacity: 0.75 }
      }]
    };
  }

  function eventsMap(element) {
    Promise.all([loadWorld(), getJSON(element.dataset.api)]).then(function (res) {
      var c = chart(element);
      markReady(element, c);
      c.setOption(worldOption(points(res[1].features)));
      c.on("click", function (p) {
        if (p.data && p.data.id) { window.location.assign("/events/" + p.data.id); }
      });
    });
  }

  function placesMap(element) {
    var places = JSON.parse(document.getElementById("places-data").textContent);
    loadWorld().then(function () {
      var c = chart(element);
      markReady(element, c);
      c.setOption(worldOption(places.map(function (p) {
        return { name: p.name, value: [p.lon, p.lat, 1] };
      })));
    });
  }

  function entityMonths(element, data) {
    var c = chart(element);
    markReady(element, c);
    c.setOption({
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 40, right: 10, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.months.map(function (m) { return m.month; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "действует", type: "bar", data: data.months.map(function (m) { return m.as_actor; }) },
        { name: "объект", type: "bar", data: data.months.map(function (m) { return m.as_recipient; }) }
      ]
    });
  }

  function entityNetwork(element, data) {
    Promise.all([getJSON(element.dataset.actor), getJSON(element.dataset.recipient)]).then(function (res) {
      var seen = {}, nodes = {}, links = [];
      function node(id, name) {
        var key = id ? "e" + id : "n" + name;
        if (!nodes[key]) {
          nodes[key] = { id: key, name: name, entity: id, symbolSize: key === "e" + data.id ? 30 : 14 };
        }
        return key;
      }
      node(data.id, data.name);
      res[0].edges.concat(res[1].edges).forEach(function (e) {
        if (e.actor_id !== data.id && e.recipient_id !== data.id) { return; }
        var key = e.actor + "→" + e.recipient;
        if (seen[key]) { return; }
        seen[key] = true;
        links.push({
          source: node(e.actor_id, e.actor), target: node(e.recipient_id, e.recipient),
          value: e.events, actor: e.actor, recipient: e.recipient,
          lineStyle: { width: Math.min(8, 1 + e.events) }
        });
      });
      var c = chart(element);
      markReady(element, c);
      c.setOption({
        tooltip: { renderMode: "richText" },
        series: [{
          type: "graph", layout: "force", roam: true, draggable: true,
          force: { repulsion: 180, edgeLength: 90 },
          label: { show: true, fontSize: 11 },
          edgeSymbol: ["none", "arrow"],
          data: Object.keys(nodes).map(function (k) { return nodes[k]; }),
          links: links
        }]
      });
      c.on("click", function (p) {
        if (p.dataType === "edge") {
          window.location.assign("/?" + new URLSearchParams({ actor: p.data.actor, recipient: p.data.recipient }));
        } else if (p.data && p.data.entity) {
          window.location.assign("/entities/" + p.data.entity);
        }
      });
    });
  }

  window.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) { return; }
    var el;
    if ((el = document.getElementById("timeline"))) { timeline(el); }
    if ((el = document.getElementById("events-map"))) { eventsMap(el); }
    if ((el = document.getElementById("places-map"))) { placesMap(el); }
    var entity = document.getElementById("entity-data");
    if (entity) {
      var data = JSON.parse(entity.textContent);
      entityMonths(document.getElementById("entity-months"), data);
      entityNetwork(document.getElementById("entity-network"), data);
    }
  });
})();
