# R's auto.arima on the 20 reference series, with what the exact-likelihood tests need
# (src/forecasting/fixtures/r-arima-ml-reference.json, read by arima-ml-refit.test.ts): the order,
# R's CSS-ML coefficients, the exact log likelihood at them, sigma2 and the point forecasts.
#
# Usage (from the repository root): Rscript bench/r-arima-ml-reference.R
# Needs: R >= 4.0 with the forecast and jsonlite packages (generated with R 4.2.2, forecast 8.20).

suppressPackageStartupMessages({
  library(forecast)
  library(jsonlite)
})

ref <- fromJSON("src/forecasting/fixtures/r-forecast-reference.json", simplifyVector = FALSE)
out <- list()
for (s in ref$series) {
  y <- ts(unlist(s$y), frequency = s$frequency)
  fit <- auto.arima(y)
  o <- arimaorder(fit)
  seasonal <- length(o) > 3
  out[[length(out) + 1]] <- list(
    id = s$id, model = as.character(fit),
    p = unname(o[1]), d = unname(o[2]), q = unname(o[3]),
    P = if (seasonal) unname(o[4]) else 0, D = if (seasonal) unname(o[5]) else 0, Q = if (seasonal) unname(o[6]) else 0,
    m = frequency(y), coef = as.list(fit$coef), loglik = fit$loglik, sigma2 = fit$sigma2, nobs = fit$nobs,
    mean = as.numeric(forecast(fit, h = s$horizon)$mean))
}
source <- paste("R", R.version$major, R.version$minor, "forecast", packageVersion("forecast"), "auto.arima(y): fit$coef, fit$loglik, fit$sigma2, forecast(fit)$mean")
writeLines(toJSON(list(source = source, series = out), auto_unbox = TRUE, digits = NA),
  "src/forecasting/fixtures/r-arima-ml-reference.json")
