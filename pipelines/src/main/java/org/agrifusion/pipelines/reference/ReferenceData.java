package org.agrifusion.pipelines.reference;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * All reference data of conf/reference/, loaded once on the driver and shipped with the tasks
 * (a few hundred kilobytes). Each file is documented in conf/reference/README.md.
 */
public record ReferenceData(
    UnitCatalog units, RegionCatalog regions, CountryCatalog countries, SubdivisionCatalog subdivisions,
    ProductCatalog products, CourierCatalog couriers, StatusCatalog statuses, PriceBounds prices,
    CurrencyCatalog currencies, ExchangeRates exchangeRates, RegionResolver regionResolver, OriginResolver originResolver)
    implements Serializable {

  public static ReferenceData load(Path folder) {
    CurrencyCatalog currencies = CurrencyCatalog.load(folder.resolve("currencies.csv"));
    return new ReferenceData(
        UnitCatalog.load(folder.resolve("units.csv")),
        RegionCatalog.load(folder.resolve("regions.csv"), folder.resolve("region-code-changes.csv")),
        CountryCatalog.load(folder.resolve("countries.csv")),
        SubdivisionCatalog.load(folder.resolve("subdivisions.csv")),
        ProductCatalog.load(folder.resolve("products.csv")),
        CourierCatalog.load(folder.resolve("couriers.csv")),
        StatusCatalog.load(folder.resolve("statuses.csv")),
        PriceBounds.load(folder.resolve("price-bounds.csv")),
        currencies,
        ExchangeRates.load(folder.resolve("exchange-rates.csv"), currencies));
  }

  private ReferenceData(UnitCatalog units, RegionCatalog regions, CountryCatalog countries,
      SubdivisionCatalog subdivisions, ProductCatalog products, CourierCatalog couriers, StatusCatalog statuses,
      PriceBounds prices, CurrencyCatalog currencies, ExchangeRates exchangeRates) {
    // one resolver of each per copy of the reference data, so their memos serve every row of a task
    this(units, regions, countries, subdivisions, products, couriers, statuses, prices, currencies, exchangeRates,
        new RegionResolver(regions), new OriginResolver(regions, countries));
  }
}
