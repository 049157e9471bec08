print("moonwatch")
