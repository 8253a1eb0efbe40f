"""Pupils and parents outside the school: guardian links and what a pupil and their parents may
read.
"""
