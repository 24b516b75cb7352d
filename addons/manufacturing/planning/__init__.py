"""Requirements planning: forecasts, the requirements run (MRP), its proposals, the work-centre load and the
production dashboard."""
