-- Run once by the postgres image on an empty volume. The image's own user (massar) owns the
-- database and runs the migrations; the API and the worker log in as massar_app, which owns
-- nothing and gets only row access from `massar migrate`.
CREATE ROLE massar_app LOGIN PASSWORD 'massar_app';
