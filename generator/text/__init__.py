"""Text: numbers and dates as news text states them, and finding quotes in archived texts.

Pure string work at the bottom of the stack: it imports nothing else of the generator.
"""
