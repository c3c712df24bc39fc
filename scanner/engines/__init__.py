"""Scan engines beyond the local one (`scanner.pipeline.run_scan`).

`scanner.engines.spark.run_spark_scan` runs the same detection inside Spark
(extra `[spark]`); it is imported lazily so that piiscan without pyspark works.
"""
