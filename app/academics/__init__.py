"""The academic frame and each school's structure: the calendar, classes, pupils, teachers,
timetables, the lesson log, transfers.
"""
