CREATE DATABASE siharpa_lake;
